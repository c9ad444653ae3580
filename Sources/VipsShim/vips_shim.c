#include "vips_shim.h"
#include <pthread.h>
#include <string.h>
#include <vips/vips.h>

/// No rendition is taller than this (WebP's limit is 16,383): a very tall image is made
/// narrower instead, and its decoded copy stays a few tens of megabytes.
#define DL_TALLEST 8000

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int start_result = -1;
static int start_threads = 1;

/// libvips' warnings (a truncated file, an odd tag) go to the error buffer's callers, not stderr.
static void quiet(const gchar *domain, GLogLevelFlags level, const gchar *message, gpointer data) {
    (void)domain; (void)level; (void)message; (void)data;
}

static void start(void) {
    if (VIPS_INIT("dateline") != 0) { start_result = -1; return; }
    g_log_set_handler("VIPS", G_LOG_LEVEL_WARNING | G_LOG_LEVEL_MESSAGE | G_LOG_LEVEL_INFO, quiet, NULL);
    // Only libvips' own loaders: the ImageMagick and poppler modules a system may have installed
    // are marked untrusted and stay out, whatever a file's bytes make libvips guess.
    vips_block_untrusted_set(TRUE);
    // No cache of operations or files: each image is processed once, and memory stays bounded.
    vips_cache_set_max(0);
    vips_cache_set_max_mem(0);
    vips_cache_set_max_files(0);
    vips_concurrency_set(start_threads);
    start_result = 0;
}

int dl_vips_start(int threads) {
    start_threads = threads > 0 ? threads : 1;
    pthread_once(&once, start);
    return start_result;
}

void dl_vips_error(char *buffer, size_t size) {
    const char *text = vips_error_buffer();
    if (size > 0) {
        strncpy(buffer, text ? text : "", size - 1);
        buffer[size - 1] = '\0';
    }
    vips_error_clear();
}

VipsImage *dl_vips_header(const void *data, size_t length, int *width, int *height, char *loader, size_t loader_size) {
    const char *name = vips_foreign_find_load_buffer(data, length);
    if (!name) return NULL;
    VipsImage *image = vips_image_new_from_buffer(data, length, "", "access", VIPS_ACCESS_SEQUENTIAL, NULL);
    if (!image) return NULL;
    *width = vips_image_get_width(image);
    *height = vips_image_get_height(image);
    if (loader_size > 0) {
        strncpy(loader, name, loader_size - 1);
        loader[loader_size - 1] = '\0';
    }
    return image;
}

VipsImage *dl_vips_thumbnail(const void *data, size_t length, int width, int height, int crop) {
    VipsImage *out = NULL;
    if (height <= 0 || !crop) {
        if (vips_thumbnail_buffer((void *)data, length, &out, width,
                "height", height > 0 ? height : DL_TALLEST, "size", VIPS_SIZE_DOWN,
                "option_string", "fail_on=truncated", NULL) != 0) return NULL;
        // Decoded once into memory (one rendition's pixels), so that it can be saved as JPEG
        // and as WebP: a sequential read of the upload cannot be run twice.
        VipsImage *memory = vips_image_copy_memory(out);
        g_object_unref(out);
        return memory;
    }
    // A crop: shrink (never enlarge) until the box is covered, decode that into memory (a
    // sequential read cannot jump to the box's rows), then cut the box's centre out of it.
    VipsImage *header = vips_image_new_from_buffer(data, length, "", "access", VIPS_ACCESS_SEQUENTIAL, NULL);
    if (!header) return NULL;
    int w = vips_image_get_width(header), h = vips_image_get_height(header);
    int orientation = 1;
    if (vips_image_get_typeof(header, "orientation")) vips_image_get_int(header, "orientation", &orientation);
    g_object_unref(header);
    if (orientation >= 5 && orientation <= 8) { int t = w; w = h; h = t; }
    double scale = (double)width / w > (double)height / h ? (double)width / w : (double)height / h;
    if (scale > 1) scale = 1;
    int target = (int)(w * scale + 0.999);
    VipsImage *shrunk = NULL;
    if (vips_thumbnail_buffer((void *)data, length, &shrunk, target,
            "height", DL_TALLEST, "size", VIPS_SIZE_DOWN,
            "option_string", "fail_on=truncated", NULL) != 0) return NULL;
    VipsImage *memory = vips_image_copy_memory(shrunk);
    g_object_unref(shrunk);
    if (!memory) return NULL;
    int mw = vips_image_get_width(memory), mh = vips_image_get_height(memory);
    int cw = mw < width ? mw : width, ch = mh < height ? mh : height;
    int result = vips_extract_area(memory, &out, (mw - cw) / 2, (mh - ch) / 2, cw, ch, NULL);
    g_object_unref(memory);
    return result == 0 ? out : NULL;
}

VipsImage *dl_vips_resize(VipsImage *image, int width, int height, int crop) {
    VipsImage *out = NULL;
    if (vips_thumbnail_image(image, &out, width,
            "height", height > 0 ? height : DL_TALLEST, "size", VIPS_SIZE_DOWN,
            "crop", crop ? VIPS_INTERESTING_CENTRE : VIPS_INTERESTING_NONE,
            "no_rotate", TRUE, NULL) != 0) return NULL;
    VipsImage *memory = vips_image_copy_memory(out);
    g_object_unref(out);
    return memory;
}

void dl_vips_replace_metadata(VipsImage *image, const char *xmp, size_t xmp_length) {
    gchar **fields = vips_image_get_fields(image);
    for (int i = 0; fields[i]; i++) {
        const char *name = fields[i];
        if (strncmp(name, "exif-", 5) == 0 || strcmp(name, "xmp-data") == 0 || strcmp(name, "iptc-data") == 0
            || strncmp(name, "png-comment-", 12) == 0 || strcmp(name, "gif-comment") == 0
            || strncmp(name, "heif-", 5) == 0 || strcmp(name, "orientation") == 0) {
            vips_image_remove(image, name);
        }
    }
    g_strfreev(fields);
    if (xmp && xmp_length > 0) {
        vips_image_set_blob_copy(image, "xmp-data", xmp, xmp_length);
    }
}

int dl_vips_save(VipsImage *image, int format, int quality, void **data, size_t *length) {
    if (format == 0) {
        // JPEG has no transparency: a transparent logo is laid on white, not black.
        VipsArrayDouble *white = vips_array_double_newv(1, 255.0);
        int result = vips_jpegsave_buffer(image, data, length, "Q", quality, "interlace", TRUE, "optimize_coding", TRUE, "background", white, NULL);
        vips_area_unref(VIPS_AREA(white));
        return result;
    }
    return vips_webpsave_buffer(image, data, length, "Q", quality, NULL);
}

int dl_vips_width(VipsImage *image) { return vips_image_get_width(image); }
int dl_vips_height(VipsImage *image) { return vips_image_get_height(image); }

int dl_vips_get_string(VipsImage *image, const char *name, char *buffer, size_t size) {
    const char *value = NULL;
    if (vips_image_get_typeof(image, name) == 0) return -1;
    if (vips_image_get_string(image, name, &value) != 0 || !value) { vips_error_clear(); return -1; }
    if (size > 0) {
        strncpy(buffer, value, size - 1);
        buffer[size - 1] = '\0';
    }
    return 0;
}

int dl_vips_get_blob(VipsImage *image, const char *name, const void **data, size_t *length) {
    if (vips_image_get_typeof(image, name) == 0) return -1;
    if (vips_image_get_blob(image, name, data, length) != 0) { vips_error_clear(); return -1; }
    return 0;
}

void dl_vips_unref(VipsImage *image) { if (image) g_object_unref(image); }
void dl_vips_free(void *data) { g_free(data); }
