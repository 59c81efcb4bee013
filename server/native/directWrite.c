/*
 * One call from JavaScript writes the same frame to many sockets: send(2) on each file descriptor,
 * never blocking, and reports what each took. Used by collab/directWrite.ts for a room's relay, where
 * Node's stream machinery (a Writable's bookkeeping, a write request object and a callback per socket)
 * cost about as much per delivery as the kernel's own write (docs/performance.md, "Direct writes").
 *
 * writeMany(fds: Int32Array, frame: Uint8Array, written: Int32Array): undefined
 *   written[i] = bytes the kernel took for fds[i] (0..frame length), or -errno.
 * The caller only passes sockets whose Node-side write queue is empty and hands any remainder back to
 * Node (socket.write), so bytes stay in order.
 */
#include <errno.h>
#include <node_api.h>
#include <sys/socket.h>
#include <sys/types.h>

#ifndef MSG_NOSIGNAL
#define MSG_NOSIGNAL 0 /* Node ignores SIGPIPE itself. */
#endif

static napi_value throw_type(napi_env env, const char *msg) {
  napi_throw_type_error(env, NULL, msg);
  return NULL;
}

static napi_value WriteMany(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 3) return throw_type(env, "writeMany(fds, frame, written)");

  napi_typedarray_type type;
  size_t count, written_count, frame_len;
  void *fds_data, *written_data, *frame_data;
  napi_value ab;
  size_t offset;
  if (napi_get_typedarray_info(env, argv[0], &type, &count, &fds_data, &ab, &offset) != napi_ok || type != napi_int32_array) return throw_type(env, "fds must be an Int32Array");
  if (napi_get_typedarray_info(env, argv[1], &type, &frame_len, &frame_data, &ab, &offset) != napi_ok || type != napi_uint8_array) return throw_type(env, "frame must be a Uint8Array");
  if (napi_get_typedarray_info(env, argv[2], &type, &written_count, &written_data, &ab, &offset) != napi_ok || type != napi_int32_array || written_count < count) return throw_type(env, "written must be an Int32Array at least as long as fds");

  const int *fds = fds_data;
  int *written = written_data;
  for (size_t i = 0; i < count; i++) {
    ssize_t n;
    do n = send(fds[i], frame_data, frame_len, MSG_DONTWAIT | MSG_NOSIGNAL);
    while (n < 0 && errno == EINTR);
    written[i] = n < 0 ? -errno : (int)n;
  }
  return NULL;
}

NAPI_MODULE_INIT() {
  napi_value fn;
  if (napi_create_function(env, "writeMany", NAPI_AUTO_LENGTH, WriteMany, NULL, &fn) != napi_ok) return NULL;
  if (napi_set_named_property(env, exports, "writeMany", fn) != napi_ok) return NULL;
  return exports;
}
