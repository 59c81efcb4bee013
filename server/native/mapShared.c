/*
 * Maps a file into memory shared with the page cache, for the update journal (collab/updateJournal.ts):
 * a record is then written with a copy instead of a write(2). The pages are the file's pages in the
 * kernel's cache, so what was copied survives the process being killed, as a completed write(2) does;
 * at the server's pace a write(2) cost p50 32 µs and a copy into the mapping 9 (docs/performance.md,
 * "Update journal").
 *
 * mapShared(fd: number, length: number): ArrayBuffer
 *   The first `length` bytes of the file, which must already be that long. Unmapped when the
 *   ArrayBuffer is collected; closing the descriptor does not unmap it.
 *
 * lockExclusive(fd: number): number
 *   Takes a POSIX write lock on the whole file for this process; returns 0, or the pid of the process
 *   that holds it (-1 if the kernel does not say). The kernel drops it when the process exits, killed
 *   or not, and when it closes any descriptor of the file. Node has no file lock of its own.
 */
#include <errno.h>
#include <fcntl.h>
#include <node_api.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#ifndef MAP_POPULATE
#define MAP_POPULATE 0 /* Linux only: fault the pages in now, not on the first record written to each. */
#endif

static void unmap(napi_env env, void *data, void *hint) {
  (void)env;
  munmap(data, (size_t)(uintptr_t)hint);
}

static napi_value MapShared(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  int32_t fd;
  int64_t length;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 2 || napi_get_value_int32(env, argv[0], &fd) != napi_ok ||
      napi_get_value_int64(env, argv[1], &length) != napi_ok || length <= 0) {
    napi_throw_type_error(env, NULL, "mapShared(fd, length)");
    return NULL;
  }
  void *data = mmap(NULL, (size_t)length, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd, 0);
  if (data == MAP_FAILED) {
    napi_throw_error(env, NULL, strerror(errno));
    return NULL;
  }
  napi_value buffer;
  if (napi_create_external_arraybuffer(env, data, (size_t)length, unmap, (void *)(uintptr_t)length, &buffer) != napi_ok) {
    munmap(data, (size_t)length);
    napi_throw_error(env, NULL, "mapShared: could not wrap the mapping");
    return NULL;
  }
  return buffer;
}

static napi_value LockExclusive(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  int32_t fd;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 1 || napi_get_value_int32(env, argv[0], &fd) != napi_ok) {
    napi_throw_type_error(env, NULL, "lockExclusive(fd)");
    return NULL;
  }
  struct flock lock = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0};
  int32_t holder = 0;
  if (fcntl(fd, F_SETLK, &lock) != 0) {
    if (errno != EACCES && errno != EAGAIN) {
      napi_throw_error(env, NULL, strerror(errno));
      return NULL;
    }
    /* A refused F_SETLK leaves `lock` as it was: the same request asks who holds the file. */
    holder = fcntl(fd, F_GETLK, &lock) == 0 && lock.l_type != F_UNLCK ? (int32_t)lock.l_pid : -1;
  }
  napi_value result;
  napi_create_int32(env, holder, &result);
  return result;
}

NAPI_MODULE_INIT() {
  napi_value map, lock;
  if (napi_create_function(env, "mapShared", NAPI_AUTO_LENGTH, MapShared, NULL, &map) != napi_ok) return NULL;
  if (napi_set_named_property(env, exports, "mapShared", map) != napi_ok) return NULL;
  if (napi_create_function(env, "lockExclusive", NAPI_AUTO_LENGTH, LockExclusive, NULL, &lock) != napi_ok) return NULL;
  if (napi_set_named_property(env, exports, "lockExclusive", lock) != napi_ok) return NULL;
  return exports;
}
