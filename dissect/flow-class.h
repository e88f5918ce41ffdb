/* sipladder: flow classification. nDPI is used here and nowhere else. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The nDPI library version in use (static string). */
const char *flow_class_ndpi_version(void);

G_END_DECLS
