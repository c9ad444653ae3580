// Non-variadic wrappers around the libvips calls Dateline makes: Swift cannot call C variadic
// functions (vips_thumbnail_buffer, vips_jpegsave_buffer, ...), and VIPS_INIT is a macro.
#ifndef DATELINE_VIPS_SHIM_H
#define DATELINE_VIPS_SHIM_H

#include <stddef.h>

typedef struct _VipsImage VipsImage;

/// Starts libvips once per process with no operation cache and `threads` worker threads.
/// Returns 0, or -1 (the reason in `dl_vips_error`).
int dl_vips_start(int threads);

/// The last libvips error text (copied into `buffer`, at most `size` bytes), then cleared.
void dl_vips_error(char *buffer, size_t size);

/// Reads only the header of an encoded image: its size before orientation, and the loader's
/// name ("jpegload_buffer", "pngload_buffer", ...). Returns the image (the caller unrefs it; its
/// metadata fields can be read), or NULL.
VipsImage *dl_vips_header(const void *data, size_t length, int *width, int *height, char *loader, size_t loader_size);

/// A rendition: the image decoded with shrink-on-load, turned upright by its EXIF orientation,
/// made at most `width` wide (and `height` high when `height` > 0; cropped to exactly that box
/// around its centre when `crop` is 1), never enlarged, decoded into memory (one rendition's
/// pixels, so it can be saved more than once). Truncated or corrupt input fails.
/// Returns the image (the caller unrefs it) or NULL.
VipsImage *dl_vips_thumbnail(const void *data, size_t length, int width, int height, int crop);

/// A smaller copy of an upright image already in memory (a rendition made from a larger one):
/// at most `width` wide (and `height` high when `height` > 0; cropped to exactly that box around
/// its centre when `crop` is 1), never enlarged, in memory. Returns the image or NULL.
VipsImage *dl_vips_resize(VipsImage *image, int width, int height, int crop);

/// Removes every metadata field but the colour profile (EXIF, XMP, IPTC, and libvips' own
/// copies of their values), then sets the XMP packet when `xmp` is not NULL.
void dl_vips_replace_metadata(VipsImage *image, const char *xmp, size_t xmp_length);

/// Encodes `image` as JPEG (`format` 0, progressive) or WebP (`format` 1) at `quality`, keeping
/// the metadata left on it. On success returns 0 and a buffer the caller frees with `dl_vips_free`.
int dl_vips_save(VipsImage *image, int format, int quality, void **data, size_t *length);

/// The image's size in pixels.
int dl_vips_width(VipsImage *image);
int dl_vips_height(VipsImage *image);

/// A string metadata field (`exif-ifd0-Artist`, ...), copied into `buffer`; 0 when present.
int dl_vips_get_string(VipsImage *image, const char *name, char *buffer, size_t size);

/// A blob metadata field (`xmp-data`, `iptc-data`); the pointer stays valid while `image` lives.
int dl_vips_get_blob(VipsImage *image, const char *name, const void **data, size_t *length);

void dl_vips_unref(VipsImage *image);
void dl_vips_free(void *data);

#endif
