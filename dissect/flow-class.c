/* sipladder: flow classification through nDPI. */
#include <ndpi/ndpi_api.h>

#include "flow-class.h"

const char *
flow_class_ndpi_version(void)
{
    return ndpi_revision();
}
