#ifndef FORGE_CCURL_SHIM_H
#define FORGE_CCURL_SHIM_H
#include <curl/curl.h>

// curl_easy_setopt and curl_easy_getinfo are variadic, which Swift cannot call: one typed wrapper per
// argument type the HTTP stream uses. Each returns libcurl's own result code.

/// A CURLOPT_WRITEFUNCTION or CURLOPT_HEADERFUNCTION.
typedef size_t (*forge_curl_data_callback)(char *buffer, size_t size, size_t count, void *context);

static inline CURLcode forge_curl_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode forge_curl_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}

/// libcurl copies strings set this way (except CURLOPT_POSTFIELDS, which forge never uses).
static inline CURLcode forge_curl_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode forge_curl_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode forge_curl_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode forge_curl_setopt_data_callback(CURL *handle, CURLoption option,
                                                       forge_curl_data_callback value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode forge_curl_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}

/// The result of a finished transfer; CURLMsg keeps it in an anonymous union.
static inline CURLcode forge_curl_message_result(const CURLMsg *message) {
    return message->data.result;
}

static inline int forge_curl_message_is_done(const CURLMsg *message) {
    return message->msg == CURLMSG_DONE;
}

static inline long forge_curl_global_default(void) {
    return CURL_GLOBAL_DEFAULT;
}

#endif
