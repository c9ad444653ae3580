// libxml2's HTML parser (driven through its SAX callbacks) and tree types, for ReleaseImport's HTML input.
// Debian/Ubuntu: libxml2-dev; include path comes from pkg-config libxml-2.0.
#include <libxml/xmlversion.h>
// Debian builds libxml2 with ICU, and encoding.h then includes the system ICU headers, which
// clash with the toolchain's _FoundationICU module. Only the tail of xmlCharEncodingHandler
// depends on it, and Swift never touches that struct's fields, so the ICU part is hidden.
#undef LIBXML_ICU_ENABLED
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <libxml/encoding.h>
// The parser context's node stack (nodePush, nodePop), xmlSplitQName and the default SAX2 handlers,
// which HTMLTree.swift uses to build its own tree the way libxml2's tree builder would.
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>

// xmlFree is a macro over a per-thread function pointer, which Swift cannot call; this is the call.
static inline void clibxml2_free(void *p) { xmlFree(p); }
