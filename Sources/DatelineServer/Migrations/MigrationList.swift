import FluentKit

/// Every migration, in the order it runs. Append; never reorder or edit one that has shipped.
enum MigrationList {
    static let all: [any Migration] = [
        CreateOrganizations(),  // issuing organizations and their social profiles
        CreateMediaContacts(),  // press contacts, per organization
        CreateTopics(),  // subjects releases are filed under
        CreateReleases(),  // releases, with random 128-bit ids
        CreateReleaseLinks(),  // release <-> contacts and release <-> topics
        UpdateReleasesAddVersion(),  // version number for ninjs and NewsML-G2
        CreateJobs(),  // durable jobs: publish events, WebSub pings
        CreateReleaseEvents(),  // release history: every status change
        UpdateReleasesAddScheduledAt(),  // publication time chosen by an editor
        CreateReleaseVersions(),  // earlier versions of corrected releases
        CreateEmbargoAccess(),  // journalists, personal embargo links, their view log
        CreateAccounts(),  // users, memberships, sessions, sign-in attempts
        CreatePasswordResets(),  // emailed, expiring, single-use reset links
        CreateSubscriptions(),  // subscribers, follows, outbox, digest runs, site settings
        UpdateReleasesAddLearnedProfile(),  // profile and contact details held until the release is public
        UpdateSessionsAddCodeAttempts(),  // second-factor codes tried per session, counted before checking
        CreateKnownDevices(),  // browsers a user has signed in on; the device of each sign-in attempt
        CreateListingIndexes(),  // each public listing's order and filter, for archives of a million releases
        UpdateSubscribersAddBounces(),  // soft and hard bounces; status bounced stops mail to dead addresses
        UpdateListingIndexesForKeyset(),  // listing indexes end with id: "Older" pages start after a release at any depth
        CreatePageCacheInvalidations(),  // the page cache's invalidation log, read by every serve process
        UpdateReleasesFillPublicationTimes(),  // no null publication or change time left for the listings' positions to skip
        CreateReleaseSearch(),  // full-text index of listed releases (FTS5 on SQLite, tsvector + GIN on PostgreSQL), backfilled
        CreateLanguageListingIndex(),  // a language's page reads its releases in order from an index
        CreateTwoFactorRecovery(),  // single-use recovery codes; account events (second factor reset, new codes)
        UpdateUsersAddTimeZone(),  // the zone a newsroom user reads lift and publication times in
        CreateMedia(),  // photos and documents of releases, organizations' logos, their renditions and bytes
    ]
}
