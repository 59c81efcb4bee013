/*
 * The native thin receivers (`--thin=native`): the bulk receivers of a fan-out point, read in C.
 *
 * Why: the lean Node receivers (thin/lean.mjs) cost the generator 9-10 us of CPU per delivery, half
 * of it JavaScript and half one read and one epoll wake-up per message, so at 20 rooms x 400 the
 * generator's core ran at 71-93% and the points were INVALID. Here the same reading costs a read()
 * and a few hundred instructions.
 *
 * Node connects each receiver, does the upgrade and the sync handshake (thin/lean.mjs), then spawns
 * this program with the connected sockets at fds 3 .. 3+n-1 and stops reading them (native.mjs).
 * From then on this program reads them: RFC 6455 server frames (unmasked; a masked one is a protocol
 * error), pings answered with masked pongs (the servers close a client that does not answer), a close
 * answered and the socket shut down. Each data message's head says whether it is a sync update (both
 * dialects: protocol.mjs); its edit markers `~M<seq>~` (markers.mjs) are found as the bytes stream
 * by, so no message is ever assembled.
 *
 *   receivers <n> <y|h>     n sockets; y: y-websocket dialect (Huntroom, y-websocket), h: Hocuspocus
 *
 * Once it reads the sockets and the kernel stamps their packets, it writes u32 "RDY1" on stdout.
 * Commands on stdin, one byte each: 'R' clears what was recorded and records from now on, 'S' stops
 * recording and writes a report on stdout, 'Q' exits (so does the end of stdin). The report
 * (little-endian): u32 magic "NRC2", u32 n, u64 deliveries (updates while recording), u64 arrivals,
 * f64 longest gap between two updates to one socket while recording (ms), u32 sockets closed,
 * u32 protocol errors, u32 pongs sent, u32 writes that failed, u32 updates without a kernel timestamp
 * (they get the time of the round of reads instead), then the read lag while recording: u64 count,
 * u64 longest (ns), u32 bucket width (ns), u32 buckets (b, the last one for every lag of b-1 widths or
 * more); then b u32 counts of the lag histogram; then per socket u32 updates and u32
 * markers in updates since the start; then per arrival (a marker in an update while recording)
 * u32 socket, u32 seq, u64 CLOCK_MONOTONIC ns at which the kernel received the last packet of its
 * message (SO_TIMESTAMPNS, converted; Node's process.hrtime.bigint() reads the same clock).
 *
 * Read lag: how far this program is behind what arrives. For each sync update completed while
 * recording, the CLOCK_MONOTONIC time just after the read that completed it minus the kernel's stamp
 * of that read (one clock reading per read, not per message; an update without a stamp is not
 * counted). Arrival times are the kernel's stamps, so this lag is not in any latency; it says whether
 * the reading kept up (a reader far behind leaves data queued in the sockets, and in the end the
 * server's send buffers fill). It includes any pause between rounds (PAUSE_US, none by default).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#define FIRST_FD 3
#define CONTROL UINT32_MAX
#define READ_SIZE (256 * 1024)
#define MAX_EVENTS 4096
/* Enough of a message's start to read its head: a Hocuspocus document name, then two varUints. */
#define HEAD_MAX 256
#define INLINE_SEQS 8
/*
 * After each round of ready sockets, wait this long before asking for the next (NATIVE_PAUSE_US sets
 * it; 0, the default, does not wait). A pause lets the sockets that became ready meanwhile be read in
 * one round, so the process wakes up less often; arrival times do not move with it (they are the
 * kernel's receive stamps, SO_TIMESTAMPNS, not the time of the read). But a pause after every round
 * makes the reader's lag about pause / (1 - the share of the core it needs): at 20 rooms x 550-700,
 * the generator at 68-85% of its core, 2 ms became a read lag p99 of 34-47 ms, which marked those
 * points INVALID; without it the same points read 1.5-7 ms behind (docs/performance.md, "Receivers
 * without the pause"; from 550 up the reader can still fall behind when its core is 70-90% busy). At
 * 20 x 100 and 200 the pause saved nothing measurable, for the generator or the servers. A socket gets
 * one message per edit of its room (100 ms apart at 10 edits/s), so two messages almost never share a
 * read. After a round that returned MAX_EVENTS ready sockets it never pauses: more are waiting.
 */
#define PAUSE_US 0
/* The read lag histogram: 0.1 ms buckets up to 100 ms, then one for everything longer. */
#define LAG_BUCKET_NS 100000u
#define LAG_BUCKETS 1001u

enum { OP_CONT = 0, OP_TEXT = 1, OP_BINARY = 2, OP_CLOSE = 8, OP_PING = 9, OP_PONG = 10 };
enum { M_IDLE, M_TILDE, M_DIGITS };
enum { HEAD_OTHER = -1, HEAD_AWARENESS = -2, SYNC_UPDATE = 2 };

struct sock {
  int fd;
  int closed;
  /* The frame: its header bytes while they come in, then its opcode, FIN and payload bytes left. */
  uint8_t hdr[14];
  uint8_t hdr_len;
  uint8_t in_frame;
  uint8_t fin;
  uint8_t op;
  uint64_t left;
  /* A control frame's payload (at most 125 bytes). */
  uint8_t ctl[125];
  uint8_t ctl_len;
  /* The data message open (it may span frames and reads): its head, the marker scanner's state and
     the markers found so far. */
  uint8_t in_msg;
  uint16_t head_len;
  uint8_t head[HEAD_MAX];
  uint8_t mstate;
  uint8_t mdigits;
  uint64_t mseq;
  uint32_t nseq, capseq;
  uint32_t seq_inline[INLINE_SEQS];
  uint32_t *seqs;
  /* Counts since the start, and the last update's arrival (for the longest gap). */
  uint32_t updates, marker_updates;
  uint64_t last_ns;
};

struct arrival {
  uint32_t socket;
  uint32_t seq;
  uint64_t ns;
};

static struct sock *socks;
static uint32_t nsocks;
static int hocuspocus;
static int recording;
static uint64_t deliveries;
static double max_gap_ms;
static uint32_t closed_count, protocol_errors, pongs, write_failures, unstamped;
/* Read lag while recording (see the top): count, longest, histogram. */
static uint64_t lag_n, lag_max_ns;
static uint32_t lag_hist[LAG_BUCKETS];
/* CLOCK_MONOTONIC just after the current read returned. */
static uint64_t read_ns;
static struct arrival *arrivals;
static uint64_t narrivals, caparrivals;
static int epfd;
/* When the current round of ready sockets began: the time of a message without a kernel timestamp. */
static uint64_t round_ns;
static uint64_t mask_state = 0x9e3779b97f4a7c15ull;

static uint64_t clock_ns(clockid_t clock) {
  struct timespec ts;
  clock_gettime(clock, &ts);
  return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static uint64_t now_ns(void) { return clock_ns(CLOCK_MONOTONIC); }

/* CLOCK_REALTIME minus CLOCK_MONOTONIC now: the kernel stamps packets on the first, Node reads the second. */
static int64_t realtime_offset(void) {
  uint64_t m0 = clock_ns(CLOCK_MONOTONIC), r = clock_ns(CLOCK_REALTIME), m1 = clock_ns(CLOCK_MONOTONIC);
  return (int64_t)(r - (m0 + (m1 - m0) / 2));
}

/*
 * Reads from `fd` into `buf`; `*at` is when the kernel received the last packet read (CLOCK_MONOTONIC
 * ns), or 0 if it gave no timestamp (a packet queued before SO_TIMESTAMPNS took effect: the kernel
 * turns its timestamps on a moment after the first socket asks).
 */
static ssize_t read_stamped(int fd, uint8_t *buf, size_t size, int64_t offset, uint64_t *at) {
  struct iovec iov = {buf, size};
  union {
    char space[CMSG_SPACE(sizeof(struct timespec))];
    struct cmsghdr align;
  } control;
  struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.space, .msg_controllen = sizeof control.space};
  ssize_t r = recvmsg(fd, &msg, 0);
  *at = 0;
  if (r <= 0) return r;
  for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
    if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
      struct timespec ts;
      memcpy(&ts, CMSG_DATA(c), sizeof ts);
      uint64_t real = (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
      if (real) *at = (uint64_t)((int64_t)real - offset);
    }
  }
  return r;
}

/*
 * Returns once the kernel stamps received packets: it turns stamping on a moment after the first
 * socket asks (deferred work), so a datagram to itself is sent until one comes back stamped.
 */
static int wait_for_timestamps(void) {
  int rx = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), tx = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), on = 1;
  struct sockaddr_in addr = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  socklen_t len = sizeof addr;
  if (rx < 0 || tx < 0 || bind(rx, (struct sockaddr *)&addr, sizeof addr) < 0 || getsockname(rx, (struct sockaddr *)&addr, &len) < 0 ||
      setsockopt(rx, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof on) < 0)
    return -1;
  int stamped = 0;
  for (int i = 0; i < 1000 && !stamped; i++) {
    uint8_t byte = 0;
    union {
      char space[CMSG_SPACE(sizeof(struct timespec))];
      struct cmsghdr align;
    } control;
    struct iovec iov = {&byte, 1};
    struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.space, .msg_controllen = sizeof control.space};
    if (sendto(tx, &byte, 1, 0, (struct sockaddr *)&addr, sizeof addr) != 1 || recvmsg(rx, &msg, 0) != 1) return -1;
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c))
      if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
        struct timespec ts;
        memcpy(&ts, CMSG_DATA(c), sizeof ts);
        stamped = ts.tv_sec != 0;
      }
    if (!stamped) usleep(1000);
  }
  close(rx);
  close(tx);
  return stamped ? 0 : -1;
}

static void *grow(void *p, size_t size) {
  void *q = realloc(p, size);
  if (!q) {
    perror("receivers: realloc");
    exit(2);
  }
  return q;
}

/* A masking key (RFC 6455 section 5.3): xorshift64, seeded from the clock and the pid. */
static uint32_t mask_key(void) {
  mask_state ^= mask_state << 13;
  mask_state ^= mask_state >> 7;
  mask_state ^= mask_state << 17;
  return (uint32_t)mask_state;
}

static void sock_close(struct sock *s) {
  if (s->closed) return;
  s->closed = 1;
  closed_count++;
  epoll_ctl(epfd, EPOLL_CTL_DEL, s->fd, NULL);
  close(s->fd);
}

/* A masked client frame with FIN set and a payload of at most 125 bytes (pong, close). */
static void send_control(struct sock *s, int op, const uint8_t *payload, size_t len) {
  uint8_t out[2 + 4 + 125];
  uint32_t key = mask_key();
  out[0] = 0x80 | op;
  out[1] = 0x80 | (uint8_t)len;
  memcpy(out + 2, &key, 4);
  for (size_t i = 0; i < len; i++) out[6 + i] = payload[i] ^ out[2 + (i & 3)];
  /* MSG_NOSIGNAL: a socket the server already reset must not end this process with SIGPIPE (libuv's
     spawn resets the signal to its default, terminate). */
  ssize_t w = send(s->fd, out, 6 + len, MSG_NOSIGNAL);
  if (w != (ssize_t)(6 + len)) write_failures++;
}

static void protocol_error(struct sock *s, const char *why) {
  protocol_errors++;
  fprintf(stderr, "receivers: socket %ld: websocket protocol error: %s\n", (long)(s - socks), why);
  sock_close(s);
}

/* lib0's varUint (7 bits a byte, least significant first); -1 when cut short. */
static int64_t var_uint(const uint8_t *b, uint32_t len, uint32_t *at) {
  uint64_t n = 0;
  unsigned shift = 0;
  while (*at < len && shift < 56) {
    uint8_t c = b[(*at)++];
    n |= (uint64_t)(c & 0x7f) << shift;
    if (c < 0x80) return (int64_t)n;
    shift += 7;
  }
  return -1;
}

/* protocol.mjs headAt on the message's first bytes: the sync sub-type, or HEAD_AWARENESS / HEAD_OTHER. */
static int head_at(const uint8_t *b, uint32_t len) {
  uint32_t at = 0;
  if (hocuspocus) {
    int64_t name = var_uint(b, len, &at);
    if (name < 0) return HEAD_OTHER;
    at += (uint32_t)name;
  }
  int64_t type = var_uint(b, len, &at);
  if (type == 1) return HEAD_AWARENESS;
  if (type != 0 && !(hocuspocus && type == 4)) return HEAD_OTHER;
  int64_t sub = var_uint(b, len, &at);
  return sub < 0 ? HEAD_OTHER : (int)sub;
}

static void add_seq(struct sock *s, uint64_t seq) {
  if (s->nseq == s->capseq) {
    s->capseq *= 2;
    if (s->seqs == s->seq_inline) {
      s->seqs = grow(NULL, s->capseq * sizeof(uint32_t));
      memcpy(s->seqs, s->seq_inline, sizeof(s->seq_inline));
    } else {
      s->seqs = grow(s->seqs, s->capseq * sizeof(uint32_t));
    }
  }
  s->seqs[s->nseq++] = seq > UINT32_MAX ? UINT32_MAX : (uint32_t)seq;
}

/*
 * The next bytes of the open data message. Markers as markers.mjs reads them: '~M', at least one
 * digit, '~'; the closing '~' may open the next marker. A marker split between frames or reads is
 * found because the scanner's state carries over.
 */
static void message_bytes(struct sock *s, const uint8_t *p, size_t n) {
  if (s->head_len < HEAD_MAX) {
    size_t take = n < (size_t)(HEAD_MAX - s->head_len) ? n : (size_t)(HEAD_MAX - s->head_len);
    memcpy(s->head + s->head_len, p, take);
    s->head_len += take;
  }
  const uint8_t *end = p + n;
  while (p < end) {
    if (s->mstate == M_IDLE) {
      p = memchr(p, '~', end - p);
      if (!p) return;
      s->mstate = M_TILDE;
      p++;
      continue;
    }
    uint8_t c = *p++;
    if (s->mstate == M_TILDE) {
      if (c == 'M') {
        s->mstate = M_DIGITS;
        s->mseq = 0;
        s->mdigits = 0;
      } else if (c != '~') {
        s->mstate = M_IDLE;
      }
    } else if (c >= '0' && c <= '9') {
      if (s->mdigits < 19) s->mseq = s->mseq * 10 + (c - '0');
      s->mdigits++;
    } else if (c == '~') {
      if (s->mdigits) add_seq(s, s->mseq);
      s->mstate = M_TILDE;
    } else {
      s->mstate = M_IDLE;
    }
  }
}

/* The open data message is complete: a sync update is a delivery, with its markers as arrivals. */
static void message_end(struct sock *s, uint64_t now) {
  uint32_t idx = (uint32_t)(s - socks);
  if (head_at(s->head, s->head_len) == SYNC_UPDATE) {
    int stamped = now != 0;
    if (!stamped) {
      unstamped++;
      now = round_ns;
    }
    s->updates++;
    s->marker_updates += s->nseq;
    if (recording) {
      deliveries++;
      if (stamped) {
        /* A stamp converted from CLOCK_REALTIME can land a little after read_ns: no lag. */
        uint64_t lag = read_ns > now ? read_ns - now : 0;
        uint64_t b = lag / LAG_BUCKET_NS;
        lag_hist[b < LAG_BUCKETS - 1 ? b : LAG_BUCKETS - 1]++;
        lag_n++;
        if (lag > lag_max_ns) lag_max_ns = lag;
      }
      if (s->last_ns) {
        double gap = (double)(now - s->last_ns) / 1e6;
        if (gap > max_gap_ms) max_gap_ms = gap;
      }
      for (uint32_t i = 0; i < s->nseq; i++) {
        if (narrivals == caparrivals) {
          caparrivals = caparrivals ? caparrivals * 2 : 1 << 16;
          arrivals = grow(arrivals, caparrivals * sizeof(struct arrival));
        }
        arrivals[narrivals++] = (struct arrival){idx, s->seqs[i], now};
      }
    }
    s->last_ns = now;
  }
  /* Sync step 2 (the handshake's was read by Node), awareness, auth answers: not what is measured. */
  s->in_msg = 0;
  s->nseq = 0;
}

static void frame_end(struct sock *s, uint64_t now) {
  s->in_frame = 0;
  s->hdr_len = 0;
  if (s->op < 8) {
    if (s->fin) message_end(s, now);
  } else if (s->op == OP_PING) {
    send_control(s, OP_PONG, s->ctl, s->ctl_len);
    pongs++;
  } else if (s->op == OP_CLOSE) {
    /* Answer a close we did not start (section 5.5.1) with its code, then the connection is over. */
    send_control(s, OP_CLOSE, s->ctl, s->ctl_len >= 2 ? 2 : 0);
    shutdown(s->fd, SHUT_WR);
    sock_close(s);
  }
  /* OP_PONG: nothing (no pings are sent). */
}

/* Reads a complete frame header from s->hdr; 0 on success, -1 on a protocol error. */
static int frame_start(struct sock *s) {
  uint8_t b0 = s->hdr[0], b1 = s->hdr[1];
  if (b1 & 0x80) return protocol_error(s, "masked server frame"), -1;
  if (b0 & 0x70) return protocol_error(s, "RSV bits set without an extension"), -1;
  s->fin = (b0 & 0x80) != 0;
  s->op = b0 & 0x0f;
  uint64_t len = b1 & 0x7f;
  if (len == 126) len = ((uint64_t)s->hdr[2] << 8) | s->hdr[3];
  else if (len == 127) {
    len = 0;
    for (int i = 2; i < 10; i++) len = (len << 8) | s->hdr[i];
  }
  s->left = len;
  s->in_frame = 1;
  if (s->op == OP_TEXT || s->op == OP_BINARY) {
    if (s->in_msg) return protocol_error(s, "new message inside a fragmented one"), -1;
    s->in_msg = 1;
    s->head_len = 0;
    s->mstate = M_IDLE;
    s->nseq = 0;
  } else if (s->op == OP_CONT) {
    if (!s->in_msg) return protocol_error(s, "continuation without a first frame"), -1;
  } else if (s->op == OP_CLOSE || s->op == OP_PING || s->op == OP_PONG) {
    if (len > 125 || !s->fin) return protocol_error(s, "control frame longer than 125 bytes or fragmented"), -1;
    s->ctl_len = 0;
  } else {
    return protocol_error(s, "unknown opcode"), -1;
  }
  return 0;
}

/* Parses `buf[0..len]` of socket `s`, carrying a frame or message split at the end to the next read. */
static void feed(struct sock *s, const uint8_t *buf, size_t len, uint64_t now) {
  size_t p = 0;
  while (p < len && !s->closed) {
    if (!s->in_frame) {
      /* Gather the header: 2 bytes, then 2 or 8 more for a 16- or 64-bit length. */
      while (s->hdr_len < 2 && p < len) s->hdr[s->hdr_len++] = buf[p++];
      if (s->hdr_len < 2) return;
      uint8_t len7 = s->hdr[1] & 0x7f;
      size_t need = len7 == 126 ? 4 : len7 == 127 ? 10 : 2;
      while (s->hdr_len < need && p < len) s->hdr[s->hdr_len++] = buf[p++];
      if (s->hdr_len < need) return;
      if (frame_start(s) < 0) return;
      if (s->left == 0) frame_end(s, now);
      continue;
    }
    size_t n = len - p < s->left ? len - p : (size_t)s->left;
    if (s->op < 8) {
      message_bytes(s, buf + p, n);
    } else {
      memcpy(s->ctl + s->ctl_len, buf + p, n);
      s->ctl_len += n;
    }
    p += n;
    s->left -= n;
    if (s->left == 0) frame_end(s, now);
  }
}

static void write_all(const void *data, size_t len) {
  const uint8_t *p = data;
  while (len) {
    ssize_t w = write(1, p, len);
    if (w < 0) {
      if (errno == EINTR) continue;
      perror("receivers: report");
      exit(2);
    }
    p += w;
    len -= w;
  }
}

static void report(void) {
  struct {
    uint32_t magic, n;
    uint64_t deliveries, arrivals;
    double max_gap_ms;
    uint32_t closed, protocol_errors, pongs, write_failures, unstamped;
    uint64_t lag_n, lag_max_ns;
    uint32_t lag_bucket_ns, lag_buckets;
  } __attribute__((packed)) head = {0x3243524e, nsocks, deliveries, narrivals, max_gap_ms, closed_count, protocol_errors, pongs,
                                    write_failures, unstamped, lag_n, lag_max_ns, LAG_BUCKET_NS, LAG_BUCKETS};
  write_all(&head, sizeof head);
  write_all(lag_hist, sizeof lag_hist);
  uint32_t *counts = grow(NULL, (size_t)nsocks * 2 * sizeof(uint32_t));
  for (uint32_t i = 0; i < nsocks; i++) {
    counts[2 * i] = socks[i].updates;
    counts[2 * i + 1] = socks[i].marker_updates;
  }
  write_all(counts, (size_t)nsocks * 2 * sizeof(uint32_t));
  free(counts);
  write_all(arrivals, narrivals * sizeof(struct arrival));
}

/* Commands from Node; returns 0 when this program should exit. */
static int control(void) {
  uint8_t cmd[64];
  ssize_t r = read(0, cmd, sizeof cmd);
  if (r == 0) return 0;
  if (r < 0) return errno == EAGAIN || errno == EINTR;
  for (ssize_t i = 0; i < r; i++) {
    if (cmd[i] == 'R') {
      recording = 1;
      deliveries = 0;
      narrivals = 0;
      max_gap_ms = 0;
      lag_n = 0;
      lag_max_ns = 0;
      memset(lag_hist, 0, sizeof lag_hist);
    } else if (cmd[i] == 'S') {
      recording = 0;
      report();
    } else if (cmd[i] == 'Q') {
      return 0;
    }
  }
  return 1;
}

int main(int argc, char **argv) {
  if (argc != 3 || (argv[2][0] != 'y' && argv[2][0] != 'h')) {
    fprintf(stderr, "usage: receivers <sockets at fd 3..> <y|h>\n");
    return 2;
  }
  nsocks = (uint32_t)strtoul(argv[1], NULL, 10);
  hocuspocus = argv[2][0] == 'h';
  mask_state ^= now_ns() ^ ((uint64_t)getpid() << 32);
  /* The report is written with blocking writes: Node is waiting for it. */
  fcntl(1, F_SETFL, fcntl(1, F_GETFL) & ~O_NONBLOCK);
  epfd = epoll_create1(EPOLL_CLOEXEC);
  if (epfd < 0) return perror("receivers: epoll_create1"), 2;
  socks = calloc(nsocks ? nsocks : 1, sizeof(struct sock));
  if (!socks) return perror("receivers: calloc"), 2;
  struct epoll_event ev = {.events = EPOLLIN, .data.u32 = CONTROL};
  if (epoll_ctl(epfd, EPOLL_CTL_ADD, 0, &ev) < 0) return perror("receivers: epoll_ctl stdin"), 2;
  for (uint32_t i = 0; i < nsocks; i++) {
    struct sock *s = &socks[i];
    s->fd = FIRST_FD + (int)i;
    s->seqs = s->seq_inline;
    s->capseq = INLINE_SEQS;
    /* Node's socket is non-blocking, and the flag belongs to the open file this fd shares with it. */
    fcntl(s->fd, F_SETFL, fcntl(s->fd, F_GETFL) | O_NONBLOCK);
    int on = 1;
    if (setsockopt(s->fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof on) < 0) {
      fprintf(stderr, "receivers: fd %d: SO_TIMESTAMPNS: %s\n", s->fd, strerror(errno));
      return 2;
    }
    ev.events = EPOLLIN | EPOLLRDHUP;
    ev.data.u32 = i;
    if (epoll_ctl(epfd, EPOLL_CTL_ADD, s->fd, &ev) < 0) {
      fprintf(stderr, "receivers: fd %d: %s\n", s->fd, strerror(errno));
      return 2;
    }
  }
  long pause_us = getenv("NATIVE_PAUSE_US") ? atol(getenv("NATIVE_PAUSE_US")) : PAUSE_US;
  if (wait_for_timestamps() < 0) {
    fprintf(stderr, "receivers: the kernel does not stamp received packets (SO_TIMESTAMPNS)\n");
    return 2;
  }
  /* Ready: every socket is watched and the kernel stamps what arrives from now on. */
  uint32_t ready = 0x31594452; /* "RDY1" */
  write_all(&ready, sizeof ready);
  uint8_t *buf = malloc(READ_SIZE);
  struct epoll_event events[MAX_EVENTS];
  /* A round that filled `events` left sockets ready: the next one starts at once, without the pause. */
  int full = 0;
  for (;;) {
    if (pause_us && !full) usleep(pause_us);
    int n = epoll_wait(epfd, events, MAX_EVENTS, -1);
    full = n == MAX_EVENTS;
    if (n < 0) {
      if (errno == EINTR) continue;
      return perror("receivers: epoll_wait"), 2;
    }
    int64_t offset = realtime_offset();
    round_ns = now_ns();
    for (int e = 0; e < n; e++) {
      uint32_t id = events[e].data.u32;
      if (id == CONTROL) {
        if (!control()) return 0;
        continue;
      }
      struct sock *s = &socks[id];
      for (;;) {
        uint64_t at;
        ssize_t r = read_stamped(s->fd, buf, READ_SIZE, offset, &at);
        if (r > 0) {
          read_ns = now_ns();
          feed(s, buf, (size_t)r, at);
          if (r < READ_SIZE || s->closed) break;
        } else {
          if (r < 0 && (errno == EAGAIN || errno == EINTR)) break;
          sock_close(s); /* end of stream, or a reset */
          break;
        }
      }
    }
  }
}
