/*
 * srtp.h: the part of the libsrtp 3 API that mediasoup's worker calls
 * (src/DepLibSRTP.cpp, src/RTC/SrtpSession.cpp, include/RTC/SrtpSession.hpp),
 * implemented over Debian 12's libsrtp 2.5 (<srtp2/srtp.h>, libsrtp2-dev).
 *
 * This code sits under the SRTP encryption of every call, so it only adapts
 * calling conventions: all cryptography, replay protection and key derivation
 * stay in libsrtp2. What differs between the two APIs, and how it is bridged:
 *
 *  1. Policies. libsrtp 3 hides the policy behind an opaque handle set up with
 *     srtp_policy_create/set_ssrc/set_profile/add_key/set_allow_repeat_tx/
 *     set_window_size/destroy and passed by value to srtp_create(). libsrtp2
 *     uses a public struct, also named srtp_policy_t, with the key and salt
 *     concatenated in one buffer. The handle here owns such a struct plus that
 *     key buffer; srtp_create() validates it like libsrtp 3's
 *     srtp_policy_validate() and hands the struct to libsrtp2's srtp_create().
 *  2. Packets. libsrtp 3 protects/unprotects out of place: (in, in_len, out,
 *     &out_len) where out_len is the size of the out buffer on input. libsrtp2
 *     works in place: (buf, &int_len) and needs room for the trailer after the
 *     packet. So: check the out buffer has that room, copy in -> out (unless
 *     they are the same buffer, which is what mediasoup does for decryption),
 *     then run libsrtp2 in place on out.
 *  3. srtp_stream_remove() is libsrtp2's srtp_remove_stream().
 *  4. Two error codes libsrtp 3 added (mediasoup names them in its table of
 *     error strings).
 *
 * MKI is not supported (mediasoup uses none): srtp_policy_add_key() rejects a
 * non-empty MKI, exactly as libsrtp 3 does while MKI is not enabled.
 */
#ifndef HAWKER_SRTP3_OVER_SRTP2_H
#define HAWKER_SRTP3_OVER_SRTP2_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/*
 * libsrtp 3 uses the name srtp_policy_t for the opaque handle (a pointer), so
 * libsrtp2's struct of that name is renamed srtp2_policy_t while its header is
 * read. Only the C type name changes: libsrtp2's functions have C linkage, so
 * their symbols and ABI are untouched.
 */
#define srtp_policy_t srtp2_policy_t
#include <srtp2/srtp.h>
#undef srtp_policy_t

#ifdef __cplusplus
extern "C" {
#endif

/*
 * 4. Error codes added in libsrtp 3, with libsrtp 3's values. libsrtp2's enum
 * ends at srtp_err_status_pkt_idx_adv (27), so they cannot clash. Only
 * srtp_err_status_buffer_small is ever returned (by this bridge).
 */
#define srtp_err_status_buffer_small ((srtp_err_status_t)28)
#define srtp_err_status_cryptex_err ((srtp_err_status_t)29)

/* libsrtp2 writes up to this much after an RTCP packet (trailer + SRTCP index). */
#define HAWKER_SRTCP_MAX_TRAILER_LEN (SRTP_MAX_TRAILER_LEN + 4)

/* 1. The opaque policy handle of libsrtp 3. */
typedef struct srtp_policy_ctx_t_ {
    srtp2_policy_t policy;                 /* handed to libsrtp2's srtp_create() */
    unsigned char key[SRTP_MAX_KEY_LEN];   /* master key || master salt; policy.key points here */
    size_t key_len;                        /* master key length, 0 = no key added */
    size_t salt_len;                       /* master salt length */
    bool has_profile;
    srtp_profile_t profile;
} srtp_policy_ctx_t;

typedef srtp_policy_ctx_t *srtp_policy_t;

static inline srtp_err_status_t hawker_srtp_policy_create(srtp_policy_t *policy)
{
    srtp_policy_t p;

    if (policy == NULL)
        return srtp_err_status_bad_param;
    /* Zeroed: no ssrc type, window_size 0 (libsrtp's default of 128), no
     * repeat tx, no MKI list, no encrypted header extensions, next = NULL. */
    p = (srtp_policy_t)calloc(1, sizeof(*p));
    if (p == NULL)
        return srtp_err_status_alloc_fail;
    p->policy.key = p->key;
    *policy = p;
    return srtp_err_status_ok;
}

static inline void hawker_srtp_policy_destroy(srtp_policy_t policy)
{
    volatile unsigned char *key;
    size_t i;

    if (policy == NULL)
        return;
    /* Wipe the master key before freeing (volatile so it is not elided). */
    key = policy->key;
    for (i = 0; i < sizeof(policy->key); i++)
        key[i] = 0;
    free(policy);
}

static inline srtp_err_status_t hawker_srtp_policy_set_ssrc(srtp_policy_t policy, srtp_ssrc_t ssrc)
{
    if (policy == NULL)
        return srtp_err_status_bad_param;
    if (ssrc.type != ssrc_specific && ssrc.type != ssrc_any_inbound && ssrc.type != ssrc_any_outbound)
        return srtp_err_status_bad_param;
    /* Same struct and meaning (value in host order) in both versions. */
    policy->policy.ssrc = ssrc;
    return srtp_err_status_ok;
}

static inline srtp_err_status_t hawker_srtp_policy_set_profile(srtp_policy_t policy, srtp_profile_t profile)
{
    srtp_err_status_t err;

    if (policy == NULL)
        return srtp_err_status_bad_param;
    /* libsrtp2's own profile tables (RTCP keeps the 80-bit tag for *_32). */
    err = srtp_crypto_policy_set_from_profile_for_rtp(&policy->policy.rtp, profile);
    if (err != srtp_err_status_ok)
        return err;
    err = srtp_crypto_policy_set_from_profile_for_rtcp(&policy->policy.rtcp, profile);
    if (err != srtp_err_status_ok)
        return err;
    policy->profile = profile;
    policy->has_profile = true;
    return srtp_err_status_ok;
}

static inline srtp_err_status_t hawker_srtp_policy_add_key(srtp_policy_t policy,
                                                           const uint8_t *key,
                                                           size_t key_len,
                                                           const uint8_t *salt,
                                                           size_t salt_len,
                                                           const uint8_t *mki,
                                                           size_t mki_len)
{
    (void)mki;
    if (policy == NULL || key == NULL || salt == NULL)
        return srtp_err_status_bad_param;
    /* No MKI: one key only and no MKI bytes (libsrtp 3 rules without MKI). */
    if (mki_len != 0 || policy->key_len != 0)
        return srtp_err_status_bad_param;
    if (key_len == 0 || key_len > SRTP_MAX_KEY_LEN || salt_len > SRTP_MAX_KEY_LEN - key_len)
        return srtp_err_status_bad_param;
    /* libsrtp2 wants key and salt concatenated in one buffer. */
    memcpy(policy->key, key, key_len);
    memcpy(policy->key + key_len, salt, salt_len);
    policy->key_len = key_len;
    policy->salt_len = salt_len;
    return srtp_err_status_ok;
}

static inline srtp_err_status_t hawker_srtp_policy_set_allow_repeat_tx(srtp_policy_t policy, bool allow)
{
    if (policy == NULL)
        return srtp_err_status_bad_param;
    policy->policy.allow_repeat_tx = allow ? 1 : 0;
    return srtp_err_status_ok;
}

static inline srtp_err_status_t hawker_srtp_policy_set_window_size(srtp_policy_t policy, size_t window_size)
{
    if (policy == NULL)
        return srtp_err_status_bad_param;
    /* Same rule as both libsrtp versions: 0 (default) or 64..0x7fff. */
    if (window_size != 0 && (window_size < 64 || window_size > 0x7fff))
        return srtp_err_status_bad_param;
    policy->policy.window_size = (unsigned long)window_size;
    return srtp_err_status_ok;
}

static inline srtp_err_status_t hawker_srtp_create(srtp_t *session, const srtp_policy_t policy)
{
    if (session == NULL)
        return srtp_err_status_bad_param;
    /* libsrtp 3 allows an empty session; so does libsrtp2. */
    if (policy == NULL)
        return srtp_create(session, NULL);
    /* What libsrtp 3's srtp_policy_validate() checks before creating: a
     * profile, an SSRC selector, and one key whose key and salt lengths match
     * the profile exactly (libsrtp2 itself only reads as many bytes as the
     * profile needs, so a short key would be read past its end). */
    if (!policy->has_profile || policy->policy.ssrc.type == ssrc_undefined)
        return srtp_err_status_bad_param;
    if (policy->key_len != srtp_profile_get_master_key_length(policy->profile) ||
        policy->salt_len != srtp_profile_get_master_salt_length(policy->profile))
        return srtp_err_status_bad_param;
    /* libsrtp2 derives the session keys here; it keeps no pointer into the
     * policy, so the handle may be destroyed right after (mediasoup does). */
    return srtp_create(session, &policy->policy);
}

/* 2. Out-of-place protect/unprotect over libsrtp2's in-place calls. */

static inline srtp_err_status_t hawker_srtp_protect(srtp_t ctx,
                                                    const uint8_t *rtp,
                                                    size_t rtp_len,
                                                    uint8_t *srtp,
                                                    size_t *srtp_len,
                                                    size_t mki_index)
{
    int len;
    srtp_err_status_t err;

    /* Without MKI libsrtp 3 ignores mki_index too. */
    (void)mki_index;
    if (rtp == NULL || srtp == NULL || srtp_len == NULL)
        return srtp_err_status_bad_param;
    if (rtp_len > (size_t)INT_MAX - SRTP_MAX_TRAILER_LEN)
        return srtp_err_status_bad_param;
    /* libsrtp2 appends up to SRTP_MAX_TRAILER_LEN bytes (auth tag) in place. */
    if (*srtp_len < rtp_len + SRTP_MAX_TRAILER_LEN)
        return srtp_err_status_buffer_small;
    if (srtp != rtp)
        memmove(srtp, rtp, rtp_len);
    len = (int)rtp_len;
    err = srtp_protect(ctx, srtp, &len);
    if (err == srtp_err_status_ok)
        *srtp_len = (size_t)len;
    return err;
}

static inline srtp_err_status_t hawker_srtp_unprotect(srtp_t ctx,
                                                      const uint8_t *srtp,
                                                      size_t srtp_len,
                                                      uint8_t *rtp,
                                                      size_t *rtp_len)
{
    int len;
    srtp_err_status_t err;

    if (srtp == NULL || rtp == NULL || rtp_len == NULL)
        return srtp_err_status_bad_param;
    if (srtp_len > (size_t)INT_MAX)
        return srtp_err_status_bad_param;
    /* libsrtp2 decrypts the whole SRTP packet in place, then drops the trailer,
     * so the out buffer must first hold the whole SRTP packet. */
    if (*rtp_len < srtp_len)
        return srtp_err_status_buffer_small;
    if (rtp != srtp)
        memmove(rtp, srtp, srtp_len);
    len = (int)srtp_len;
    err = srtp_unprotect(ctx, rtp, &len);
    if (err == srtp_err_status_ok)
        *rtp_len = (size_t)len;
    return err;
}

static inline srtp_err_status_t hawker_srtp_protect_rtcp(srtp_t ctx,
                                                         const uint8_t *rtcp,
                                                         size_t rtcp_len,
                                                         uint8_t *srtcp,
                                                         size_t *srtcp_len,
                                                         size_t mki_index)
{
    int len;
    srtp_err_status_t err;

    (void)mki_index;
    if (rtcp == NULL || srtcp == NULL || srtcp_len == NULL)
        return srtp_err_status_bad_param;
    if (rtcp_len > (size_t)INT_MAX - HAWKER_SRTCP_MAX_TRAILER_LEN)
        return srtp_err_status_bad_param;
    /* libsrtp2 appends the SRTCP index (4 bytes) and the auth tag in place. */
    if (*srtcp_len < rtcp_len + HAWKER_SRTCP_MAX_TRAILER_LEN)
        return srtp_err_status_buffer_small;
    if (srtcp != rtcp)
        memmove(srtcp, rtcp, rtcp_len);
    len = (int)rtcp_len;
    err = srtp_protect_rtcp(ctx, srtcp, &len);
    if (err == srtp_err_status_ok)
        *srtcp_len = (size_t)len;
    return err;
}

static inline srtp_err_status_t hawker_srtp_unprotect_rtcp(srtp_t ctx,
                                                           const uint8_t *srtcp,
                                                           size_t srtcp_len,
                                                           uint8_t *rtcp,
                                                           size_t *rtcp_len)
{
    int len;
    srtp_err_status_t err;

    if (srtcp == NULL || rtcp == NULL || rtcp_len == NULL)
        return srtp_err_status_bad_param;
    if (srtcp_len > (size_t)INT_MAX)
        return srtp_err_status_bad_param;
    if (*rtcp_len < srtcp_len)
        return srtp_err_status_buffer_small;
    if (rtcp != srtcp)
        memmove(rtcp, srtcp, srtcp_len);
    len = (int)srtcp_len;
    err = srtp_unprotect_rtcp(ctx, rtcp, &len);
    if (err == srtp_err_status_ok)
        *rtcp_len = (size_t)len;
    return err;
}

/*
 * 3. libsrtp2's name. The SSRC is passed through unchanged: mediasoup passes
 * htonl(ssrc), which is exactly libsrtp2's contract (network byte order) and
 * how mediasoup called srtp_remove_stream() when it used libsrtp2.
 */
static inline srtp_err_status_t hawker_srtp_stream_remove(srtp_t session, uint32_t ssrc)
{
    return srtp_remove_stream(session, ssrc);
}

#ifdef __cplusplus
}
#endif

/*
 * The libsrtp 3 names mediasoup uses. Defined after the functions above so
 * that their bodies still call libsrtp2's functions of the same names.
 */
#define srtp_policy_create hawker_srtp_policy_create
#define srtp_policy_destroy hawker_srtp_policy_destroy
#define srtp_policy_set_ssrc hawker_srtp_policy_set_ssrc
#define srtp_policy_set_profile hawker_srtp_policy_set_profile
#define srtp_policy_add_key hawker_srtp_policy_add_key
#define srtp_policy_set_allow_repeat_tx hawker_srtp_policy_set_allow_repeat_tx
#define srtp_policy_set_window_size hawker_srtp_policy_set_window_size
#define srtp_create hawker_srtp_create
#define srtp_protect hawker_srtp_protect
#define srtp_unprotect hawker_srtp_unprotect
#define srtp_protect_rtcp hawker_srtp_protect_rtcp
#define srtp_unprotect_rtcp hawker_srtp_unprotect_rtcp
#define srtp_stream_remove hawker_srtp_stream_remove

#endif
