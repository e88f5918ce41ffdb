/* sipladder: compares a PNG with a reference image within a tolerance.
 *
 * Usage: png-compare ACTUAL REFERENCE [MAX_DIFF_PERCENT [CHANNEL_DELTA]]
 * Both images must have the same size; a pixel differs when any channel
 * differs by more than CHANNEL_DELTA (default 64 of 255), and at most
 * MAX_DIFF_PERCENT of the pixels (default 0.5) may differ, which allows
 * for antialiasing changes between cairo and pango versions but not for a
 * moved arrow or a changed label. Exit status 0 within the tolerance, 1
 * outside it, 99 when an image cannot be read. */
#include <cairo.h>
#include <stdio.h>
#include <stdlib.h>

static cairo_surface_t *
load(const char *path)
{
    cairo_surface_t *s = cairo_image_surface_create_from_png(path);
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
        fprintf(stderr, "png-compare: %s: %s\n", path,
                cairo_status_to_string(cairo_surface_status(s)));
        cairo_surface_destroy(s);
        return NULL;
    }
    cairo_surface_flush(s);
    return s;
}

/* The pixel at @x, @y as 0xAARRGGBB, whatever the surface format. */
static unsigned
pixel(cairo_surface_t *s, int x, int y)
{
    const unsigned char *row = cairo_image_surface_get_data(s) +
                               (size_t)y * (size_t)cairo_image_surface_get_stride(s);
    switch (cairo_image_surface_get_format(s)) {
    case CAIRO_FORMAT_ARGB32:
        return ((const unsigned *)(const void *)row)[x];
    case CAIRO_FORMAT_RGB24:
        return ((const unsigned *)(const void *)row)[x] | 0xff000000u;
    default:
        return 0;
    }
}

int
main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: png-compare ACTUAL REFERENCE [MAX_DIFF_PERCENT [DELTA]]\n");
        return 99;
    }
    double max_pct = argc > 3 ? atof(argv[3]) : 0.5;
    int delta = argc > 4 ? atoi(argv[4]) : 64;
    cairo_surface_t *a = load(argv[1]);
    cairo_surface_t *b = load(argv[2]);
    if (!a || !b)
        return 99;
    int w = cairo_image_surface_get_width(a), h = cairo_image_surface_get_height(a);
    if (w != cairo_image_surface_get_width(b) || h != cairo_image_surface_get_height(b)) {
        printf("FAIL: %s is %dx%d, the reference %s is %dx%d\n", argv[1], w, h, argv[2],
               cairo_image_surface_get_width(b), cairo_image_surface_get_height(b));
        return 1;
    }
    long differ = 0;
    int first_x = -1, first_y = -1;
    for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
            unsigned p = pixel(a, x, y), q = pixel(b, x, y);
            for (int sh = 0; sh < 32; sh += 8) {
                int d = (int)((p >> sh) & 0xff) - (int)((q >> sh) & 0xff);
                if (abs(d) > delta) {
                    if (first_x < 0) {
                        first_x = x;
                        first_y = y;
                    }
                    differ++;
                    break;
                }
            }
        }
    }
    double pct = w && h ? 100.0 * (double)differ / ((double)w * h) : 0;
    cairo_surface_destroy(a);
    cairo_surface_destroy(b);
    if (pct > max_pct) {
        printf("FAIL: %.3f%% of the pixels differ (more than %.3f%%), the first at %d,%d\n", pct,
               max_pct, first_x, first_y);
        return 1;
    }
    printf("%dx%d, %.3f%% of the pixels differ (at most %.3f%%)\n", w, h, pct, max_pct);
    return 0;
}
