/* sipladder: RFC 4733 telephone-events (DTMF digits in RTP) and SIP INFO
 * DTMF bodies (application/dtmf-relay, application/dtmf). */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "status.h"
#include "view.h"

G_BEGIN_DECLS

/* RFC 4733 section 2.3:
 *   event(8) E(1) R(1) volume(6) duration(16) */
typedef struct {
    uint8_t event;     /* 0-9, 10 '*', 11 '#', 12-15 A-D, 16 flash... */
    bool end;
    uint8_t volume;    /* -dBm0, 0..63 */
    uint16_t duration; /* timestamp units */
} RtpEvent;

SlStatus rtp_event_parse(SlView payload, RtpEvent *out);
/* '0'..'9', '*', '#', 'A'..'D', '!' for flash, '?' otherwise. */
char rtp_event_char(uint8_t event);

/* A digit from a SIP INFO body: "Signal=5\r\nDuration=160" (dtmf-relay)
 * or "5" (application/dtmf). @content_type is the media type. Returns the
 * digit, or 0 when the body holds none; *@duration_ms gets the duration
 * (0 when not given). */
char sip_info_dtmf(SlView content_type, SlView body, unsigned *duration_ms);

G_END_DECLS
