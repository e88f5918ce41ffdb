/* sipladder: RTP payload type tables (RFC 3551 section 6, tables 4 and 5;
 * rates of dynamic encodings from their RTP payload format RFCs). */
#include "rtp-pt.h"

#include <stddef.h>

/* RFC 3551 tables 4 and 5. PT 1, 2 and 19 are reserved, 20-24, 27, 29-30
 * unassigned, 35-71 and 77-95 unassigned, 72-76 reserved for RTCP
 * conflict avoidance, 96-127 dynamic. MPA's channel count is "see text"
 * in the RFC; one is the common case. */
static const RtpPtInfo static_pts[] = {
    { 0, "PCMU", 8000, 1, RTP_PT_AUDIO },
    { 3, "GSM", 8000, 1, RTP_PT_AUDIO },
    { 4, "G723", 8000, 1, RTP_PT_AUDIO },
    { 5, "DVI4", 8000, 1, RTP_PT_AUDIO },
    { 6, "DVI4", 16000, 1, RTP_PT_AUDIO },
    { 7, "LPC", 8000, 1, RTP_PT_AUDIO },
    { 8, "PCMA", 8000, 1, RTP_PT_AUDIO },
    { 9, "G722", 8000, 1, RTP_PT_AUDIO },
    { 10, "L16", 44100, 2, RTP_PT_AUDIO },
    { 11, "L16", 44100, 1, RTP_PT_AUDIO },
    { 12, "QCELP", 8000, 1, RTP_PT_AUDIO },
    { 13, "CN", 8000, 1, RTP_PT_AUDIO },
    { 14, "MPA", 90000, 1, RTP_PT_AUDIO },
    { 15, "G728", 8000, 1, RTP_PT_AUDIO },
    { 16, "DVI4", 11025, 1, RTP_PT_AUDIO },
    { 17, "DVI4", 22050, 1, RTP_PT_AUDIO },
    { 18, "G729", 8000, 1, RTP_PT_AUDIO },
    { 25, "CelB", 90000, 1, RTP_PT_VIDEO },
    { 26, "JPEG", 90000, 1, RTP_PT_VIDEO },
    { 28, "nv", 90000, 1, RTP_PT_VIDEO },
    { 31, "H261", 90000, 1, RTP_PT_VIDEO },
    { 32, "MPV", 90000, 1, RTP_PT_VIDEO },
    { 33, "MP2T", 90000, 1, RTP_PT_AUDIO_VIDEO },
    { 34, "H263", 90000, 1, RTP_PT_VIDEO },
};

const RtpPtInfo *
rtp_pt_static(unsigned pt)
{
    for (size_t i = 0; i < G_N_ELEMENTS(static_pts); i++)
        if (static_pts[i].pt == pt)
            return &static_pts[i];
    return NULL;
}

/* Encodings whose RTP clock rate does not depend on the offer. G722 is
 * 8000 although sampled at 16 kHz (RFC 3551 section 4.5.2); AMR-WB and EVS
 * are 16000 (RFC 4867 section 8.2, 3GPP TS 26.445 annex A); opus is always
 * 48000 (RFC 7587 section 7). telephone-event and CN default to 8000 (RFC
 * 4733, RFC 3389) but may follow the audio codec, so only the fallback. */
static const struct {
    const char *name;
    uint32_t clock_rate;
} name_rates[] = {
    { "PCMU", 8000 },       { "PCMA", 8000 },         { "GSM", 8000 },
    { "GSM-EFR", 8000 },    { "G723", 8000 },         { "LPC", 8000 },
    { "G722", 8000 },       { "QCELP", 8000 },        { "CN", 8000 },
    { "G728", 8000 },       { "G729", 8000 },         { "G729D", 8000 },
    { "G729E", 8000 },      { "G726-16", 8000 },      { "G726-24", 8000 },
    { "G726-32", 8000 },    { "G726-40", 8000 },      { "AAL2-G726-32", 8000 },
    { "iLBC", 8000 },       { "AMR", 8000 },          { "AMR-WB", 16000 },
    { "EVS", 16000 },       { "opus", 48000 },        { "telephone-event", 8000 },
    { "MPA", 90000 },       { "CelB", 90000 },        { "JPEG", 90000 },
    { "nv", 90000 },        { "H261", 90000 },        { "MPV", 90000 },
    { "MP2T", 90000 },      { "H263", 90000 },        { "H263-1998", 90000 },
    { "H263-2000", 90000 }, { "H264", 90000 },        { "H265", 90000 },
    { "VP8", 90000 },       { "VP9", 90000 },         { "AV1", 90000 },
    { "MP4V-ES", 90000 },   { "t140", 1000 },
};

uint32_t
rtp_pt_clock_rate(unsigned pt, SlView encoding_name_or_empty)
{
    if (!sl_view_is_empty(encoding_name_or_empty))
        for (size_t i = 0; i < G_N_ELEMENTS(name_rates); i++)
            if (sl_view_ieq_str(encoding_name_or_empty, name_rates[i].name))
                return name_rates[i].clock_rate;
    const RtpPtInfo *info = rtp_pt_static(pt);
    return info ? info->clock_rate : 0;
}
