/* sipladder: correlation internals (not installed). */
#pragma once

#include "corr.h"

CorrMsg *corr_msg_new(const SipFound *f, const CorrOptions *opts, guint index);
void corr_msg_free(gpointer p);

/* Recomputes a call's attributes from its messages (corr-call.c). */
void corr_call_compute(CorrCall *call, SlTime capture_end);
void corr_call_free(gpointer p);

/* Adds a digit to @call, keeping time order. */
void corr_call_add_dtmf(CorrCall *call, const CorrDtmf *d);
