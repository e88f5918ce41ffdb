/* sipladder: RFC 4733 telephone-event payloads (section 2.3) and the SIP
 * INFO DTMF bodies in common use (application/dtmf-relay: "Signal=" and
 * "Duration=" lines; application/dtmf: the digit alone). */
#include "rtp-event.h"

SlStatus
rtp_event_parse(SlView payload, RtpEvent *out)
{
    uint8_t ev, flags;
    uint16_t duration;
    SlView v = payload;
    if (!sl_view_u8(&v, &ev) || !sl_view_u8(&v, &flags) || !sl_view_be16(&v, &duration))
        return SL_ERR_MALFORMED;
    out->event = ev;
    out->end = (flags & 0x80) != 0;
    out->volume = flags & 0x3f;
    out->duration = duration;
    return SL_OK;
}

char
rtp_event_char(uint8_t event)
{
    static const char digits[] = "0123456789*#ABCD!";
    return event < sizeof digits - 1 ? digits[event] : '?';
}

static bool
valid_digit(int c)
{
    return (c >= '0' && c <= '9') || c == '*' || c == '#' || (c >= 'A' && c <= 'D') ||
           (c >= 'a' && c <= 'd');
}

char
sip_info_dtmf(SlView content_type, SlView body, unsigned *duration_ms)
{
    *duration_ms = 0;
    if (sl_view_ieq_str(content_type, "application/dtmf")) {
        SlView d = sl_view_trim(body);
        return d.len == 1 && valid_digit(sl_view_at(d, 0)) ? (char)g_ascii_toupper(sl_view_at(d, 0)) : 0;
    }
    if (!sl_view_ieq_str(content_type, "application/dtmf-relay"))
        return 0;
    char digit = 0;
    SlView v = body, line;
    bool more = true;
    while (more) {
        if (!sl_view_line(&v, &line, NULL)) {
            line = v;
            more = false;
        }
        SlView name, value;
        if (!sl_view_split_u8(line, '=', &name, &value))
            continue;
        name = sl_view_trim(name);
        value = sl_view_trim(value);
        if (sl_view_ieq_str(name, "Signal") && value.len == 1 && valid_digit(sl_view_at(value, 0)))
            digit = (char)g_ascii_toupper(sl_view_at(value, 0));
        uint64_t ms;
        if (sl_view_ieq_str(name, "Duration") && sl_view_parse_uint(value, 6, 600000, &ms))
            *duration_ms = (unsigned)ms;
    }
    return digit;
}
