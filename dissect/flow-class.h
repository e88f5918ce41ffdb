/* sipladder: flow classification with nDPI, the only user of nDPI. A
 * second opinion on UDP flows that the RTP heuristic takes without SDP. */
#pragma once

#include <glib.h>
#include <stdbool.h>

#include "cap-packet.h"

G_BEGIN_DECLS

typedef enum {
    FLOW_CLASS_UNKNOWN = 0, /* not seen, or nDPI could not tell */
    FLOW_CLASS_RTP,
    FLOW_CLASS_RTCP,
    FLOW_CLASS_SIP,
    FLOW_CLASS_OTHER,       /* nDPI named another protocol */
} FlowClassKind;

const char *flow_class_name(FlowClassKind k); /* "RTP", "RTCP", "SIP", "other", "unknown" */

/* The nDPI library version in use (static string). */
const char *flow_class_ndpi_version(void);

typedef struct FlowClassifier FlowClassifier;

/* Caller owns; NULL when nDPI cannot be initialised. */
FlowClassifier *flow_class_new(void);
void flow_class_free(FlowClassifier *fc);
/* Feeds one UDP packet to its flow (either direction is one flow); nDPI
 * sees at most the first packets of each flow and at most 65536 flows.
 * Returns the flow's class so far. */
FlowClassKind flow_class_packet(FlowClassifier *fc, const CapPacket *pkt);
/* The same; *@decided (if not NULL) is set when the flow's class is final:
 * further packets of the flow change nothing and need not be fed. */
FlowClassKind flow_class_packet_decided(FlowClassifier *fc, const CapPacket *pkt, bool *decided);
/* The class of the flow between @a and @b (either order). */
FlowClassKind flow_class_lookup(FlowClassifier *fc, const SlAddr *a, const SlAddr *b);

G_END_DECLS
