// udp_batch: a batched UDP socket for Node (Linux only), Node-API (ABI-stable).
//
// open(host, port, reuseAddr, recvBufferBytes) -> { handle, port, input, meta, slots, inSlot,
// outSlot, metaStride }. The socket is non-blocking; a uv_poll_t on the Node loop watches it.
// start(handle, onBatch): on readable, recvmmsg up to SLOTS datagrams into `input` (slot i at
// i*IN_SLOT, 64 KiB: any UDP datagram), fill `meta` (Int32 stride META_STRIDE per slot: length (-1 = truncated, drop),
// family (4|6), port, out length (JS sets; 0 = no answer), then 16 address bytes), call
// onBatch(count) ONCE, then sendmmsg every slot whose out length is in 1..OUT_SLOT to the
// slot's source address. The answer is in the same slot as its query (input[i*IN_SLOT]): JS
// writes it over the query, which it has decoded by then (one arena, no output copy). Repeats until EAGAIN or BUDGET batches
// per wakeup (so the loop stays fair). Send errors: EAGAIN (socket buffer full) drops the rest
// of the batch; any other error drops that one datagram (UDP DNS may drop: the client retries).
// stop(handle): stops polling, closes the fd (the port is free on return), uv_close()s the poll
// handle and releases the JS references in its close callback. stats(handle) -> counters.
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <node_api.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <uv.h>

#define SLOTS 64
#define IN_SLOT 65536 /* the largest UDP payload fits: nothing is truncated */
#define OUT_SLOT 4096 /* largest answer sent (UDP answers are at most 1232 bytes) */
#define META_STRIDE 8 /* int32s: len, family, port, outLen, addr[16 bytes] */
#define BUDGET 16     /* batches per wakeup */

typedef struct {
  napi_env env;
  int fd;
  int state;         /* 0 open, 1 polling, 2 closed */
  int close_pending; /* uv_close called, on_close not run yet */
  int finalized;     /* the JS handle is gone: on_close frees */
  int env_gone;      /* env cleanup ran: no more Node-API calls */
  napi_async_cleanup_hook_handle cleanup; /* while the poll handle exists */
  uv_poll_t poll;
  napi_ref self_ref; /* keeps the handle alive while polling */
  napi_ref cb_ref;
  napi_ref bufs_ref; /* [input, meta] array */
  napi_async_context async_ctx;
  uint8_t *in;
  int32_t *meta;
  struct sockaddr_storage addrs[SLOTS];
  struct mmsghdr rmsgs[SLOTS];
  struct iovec riov[SLOTS];
  struct mmsghdr smsgs[SLOTS];
  struct iovec siov[SLOTS];
  double received, sent, dropped, truncated, batches, recv_errors, send_errors;
} ub_sock;

static napi_value throw_errno(napi_env env, int err, const char *what) {
  char msg[256];
  const char *name = strerrorname_np(err);
  snprintf(msg, sizeof msg, "%s: %s", what, strerror(err));
  napi_throw_error(env, name ? name : "EIO", msg);
  return NULL;
}

#define CHECK(call)                                                                    \
  do {                                                                                 \
    if ((call) != napi_ok) {                                                           \
      const napi_extended_error_info *info_;                                          \
      napi_get_last_error_info(env, &info_);                                           \
      bool pending_;                                                                   \
      napi_is_exception_pending(env, &pending_);                                       \
      if (!pending_)                                                                   \
        napi_throw_error(env, "ERR_UDP_BATCH",                                         \
                         info_->error_message ? info_->error_message : #call " failed"); \
      return NULL;                                                                     \
    }                                                                                  \
  } while (0)

static void sock_finalize(napi_env env, void *data, void *hint) {
  ub_sock *s = data;
  if (s->state == 0 && s->fd >= 0) close(s->fd);
  /* a poll handle still known to libuv must outlive its memory: on_close frees it then (or,
     at process exit while polling, it is left to the OS) */
  if (s->state == 1 || s->close_pending) {
    s->finalized = 1;
    return;
  }
  free(s);
}

static ub_sock *get_sock(napi_env env, napi_value v) {
  void *data = NULL;
  if (napi_get_value_external(env, v, &data) != napi_ok || !data) {
    napi_throw_type_error(env, "ERR_UDP_BATCH", "not a udp-batch handle");
    return NULL;
  }
  return data;
}

static napi_value set_num(napi_env env, napi_value obj, const char *key, double v) {
  napi_value n;
  if (napi_create_double(env, v, &n) != napi_ok) return NULL;
  napi_set_named_property(env, obj, key, n);
  return obj;
}

static napi_value ub_open(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 4) {
    napi_throw_type_error(env, "ERR_UDP_BATCH", "open(host, port, reuseAddr, recvBufferBytes)");
    return NULL;
  }
  char host[64];
  size_t hl;
  if (napi_get_value_string_utf8(env, argv[0], host, sizeof host, &hl) != napi_ok) {
    napi_throw_type_error(env, "ERR_UDP_BATCH", "host must be a string");
    return NULL;
  }
  int32_t port, rcvbuf;
  bool reuse;
  CHECK(napi_get_value_int32(env, argv[1], &port));
  CHECK(napi_get_value_bool(env, argv[2], &reuse));
  CHECK(napi_get_value_int32(env, argv[3], &rcvbuf));
  if (port < 0 || port > 65535) {
    napi_throw_range_error(env, "ERR_UDP_BATCH", "port out of range");
    return NULL;
  }
  struct sockaddr_storage ss;
  socklen_t sl;
  memset(&ss, 0, sizeof ss);
  struct sockaddr_in *a4 = (struct sockaddr_in *)&ss;
  struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)&ss;
  if (inet_pton(AF_INET, host, &a4->sin_addr) == 1) {
    a4->sin_family = AF_INET;
    a4->sin_port = htons(port);
    sl = sizeof *a4;
  } else if (inet_pton(AF_INET6, host, &a6->sin6_addr) == 1) {
    a6->sin6_family = AF_INET6;
    a6->sin6_port = htons(port);
    sl = sizeof *a6;
  } else {
    char msg[128];
    snprintf(msg, sizeof msg, "not an IP address literal: %s", host);
    napi_throw_error(env, "EINVAL", msg);
    return NULL;
  }
  char what[128];
  int fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return throw_errno(env, errno, "socket");
  int one = 1;
  if (reuse && setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0) {
    int e = errno;
    close(fd);
    return throw_errno(env, e, "setsockopt SO_REUSEADDR");
  }
  if (rcvbuf > 0) setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf); /* may be capped */
  if (bind(fd, (struct sockaddr *)&ss, sl) < 0) {
    int e = errno;
    close(fd);
    snprintf(what, sizeof what, "bind %s port %d", host, port);
    return throw_errno(env, e, what);
  }
  if (getsockname(fd, (struct sockaddr *)&ss, &sl) < 0) {
    int e = errno;
    close(fd);
    return throw_errno(env, e, "getsockname");
  }
  int bound = ntohs(ss.ss_family == AF_INET ? a4->sin_port : a6->sin6_port);

  ub_sock *s = calloc(1, sizeof *s);
  if (!s) {
    close(fd);
    napi_throw_error(env, "ENOMEM", "out of memory");
    return NULL;
  }
  s->env = env;
  s->fd = fd;
  napi_value handle, result, input, meta, bufs;
  void *p;
  if (napi_create_external(env, s, sock_finalize, NULL, &handle) != napi_ok) {
    close(fd);
    free(s);
    napi_throw_error(env, "ERR_UDP_BATCH", "cannot create handle");
    return NULL;
  }
  /* from here the finalizer owns s and the fd */
  CHECK(napi_create_arraybuffer(env, SLOTS * IN_SLOT, &p, &input));
  s->in = p;
  CHECK(napi_create_arraybuffer(env, SLOTS * META_STRIDE * 4, &p, &meta));
  s->meta = p;
  CHECK(napi_create_array_with_length(env, 2, &bufs));
  CHECK(napi_set_element(env, bufs, 0, input));
  CHECK(napi_set_element(env, bufs, 1, meta));
  CHECK(napi_create_reference(env, bufs, 1, &s->bufs_ref));
  for (int i = 0; i < SLOTS; i++) {
    s->riov[i].iov_base = s->in + (size_t)i * IN_SLOT;
    s->riov[i].iov_len = IN_SLOT;
  }
  CHECK(napi_create_object(env, &result));
  CHECK(napi_set_named_property(env, result, "handle", handle));
  CHECK(napi_set_named_property(env, result, "input", input));
  CHECK(napi_set_named_property(env, result, "meta", meta));
  set_num(env, result, "port", bound);
  set_num(env, result, "slots", SLOTS);
  set_num(env, result, "inSlot", IN_SLOT);
  set_num(env, result, "outSlot", OUT_SLOT);
  set_num(env, result, "metaStride", META_STRIDE);
  return result;
}

static void fill_meta(ub_sock *s, int i) {
  int32_t *m = s->meta + i * META_STRIDE;
  uint8_t *ab = (uint8_t *)(m + 4);
  struct mmsghdr *h = &s->rmsgs[i];
  struct sockaddr_storage *ss = &s->addrs[i];
  m[0] = (h->msg_hdr.msg_flags & MSG_TRUNC) ? -1 : (int32_t)h->msg_len;
  m[3] = 0;
  if (ss->ss_family == AF_INET) {
    struct sockaddr_in *a = (struct sockaddr_in *)ss;
    m[1] = 4;
    m[2] = ntohs(a->sin_port);
    memcpy(ab, &a->sin_addr, 4);
  } else {
    struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;
    m[2] = ntohs(a->sin6_port);
    if (IN6_IS_ADDR_V4MAPPED(&a->sin6_addr)) { /* dual-stack socket: the client is IPv4 */
      m[1] = 4;
      memcpy(ab, &a->sin6_addr.s6_addr[12], 4);
    } else {
      m[1] = 6;
      memcpy(ab, &a->sin6_addr, 16);
    }
  }
}

static void send_batch(ub_sock *s, int n) {
  int k = 0;
  for (int i = 0; i < n; i++) {
    int32_t len = s->meta[i * META_STRIDE + 3];
    if (len <= 0) continue;
    if (len > OUT_SLOT) {
      s->dropped++;
      continue;
    }
    s->siov[k].iov_base = s->in + (size_t)i * IN_SLOT;
    s->siov[k].iov_len = (size_t)len;
    struct msghdr *h = &s->smsgs[k].msg_hdr;
    memset(h, 0, sizeof *h);
    h->msg_name = &s->addrs[i];
    h->msg_namelen = s->rmsgs[i].msg_hdr.msg_namelen;
    h->msg_iov = &s->siov[k];
    h->msg_iovlen = 1;
    k++;
  }
  int done = 0, retried = 0;
  while (done < k) {
    int r = sendmmsg(s->fd, s->smsgs + done, k - done, MSG_DONTWAIT);
    if (r > 0) {
      done += r;
      s->sent += r;
      continue;
    }
    if (r < 0 && errno == EINTR) continue;
    if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS) && !retried) {
      retried = 1; /* one retry, then drop the rest of the batch */
      continue;
    }
    if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS)) {
      s->dropped += k - done;
      s->send_errors++;
      break;
    }
    /* this datagram cannot be sent (e.g. EPERM, EINVAL, EHOSTUNREACH): drop it, go on */
    s->send_errors++;
    s->dropped++;
    done++;
  }
}

static void on_poll(uv_poll_t *h, int status, int events);
static void on_close(uv_handle_t *h);

/* stops polling and closes the fd; the poll handle closes asynchronously (on_close) */
static void close_socket(ub_sock *s) {
  uv_poll_stop(&s->poll);
  close(s->fd);
  s->fd = -1;
  s->state = 2;
  s->close_pending = 1;
  uv_close((uv_handle_t *)&s->poll, on_close);
}

/* the environment is going away (worker exit, process exit): close the poll handle while the
   addon is still loaded; on_close removes this hook, which lets the teardown go on */
static void env_cleanup(napi_async_cleanup_hook_handle h, void *arg) {
  ub_sock *s = arg;
  s->env_gone = 1;
  if (s->state == 1) close_socket(s);
  else if (!s->close_pending) {
    s->cleanup = NULL;
    napi_remove_async_cleanup_hook(h);
  }
}

static void on_close(uv_handle_t *h) {
  ub_sock *s = h->data;
  napi_env env = s->env;
  s->close_pending = 0;
  napi_async_cleanup_hook_handle hook = s->cleanup;
  s->cleanup = NULL;
  if (s->finalized) {
    free(s);
    if (hook) napi_remove_async_cleanup_hook(hook);
    return;
  }
  if (s->env_gone) {
    if (hook) napi_remove_async_cleanup_hook(hook);
    return;
  }
  if (s->cb_ref) napi_delete_reference(env, s->cb_ref);
  if (s->async_ctx) napi_async_destroy(env, s->async_ctx);
  if (s->bufs_ref) napi_delete_reference(env, s->bufs_ref);
  s->cb_ref = NULL;
  s->async_ctx = NULL;
  s->bufs_ref = NULL;
  napi_ref self = s->self_ref;
  s->self_ref = NULL;
  if (hook) napi_remove_async_cleanup_hook(hook);
  if (self) napi_delete_reference(env, self); /* may let the finalizer free s */
}

static void on_poll(uv_poll_t *h, int status, int events) {
  ub_sock *s = h->data;
  napi_env env = s->env;
  if (status < 0) {
    s->recv_errors++;
    return;
  }
  napi_handle_scope scope;
  if (napi_open_handle_scope(env, &scope) != napi_ok) return;
  napi_value cb, recv;
  if (napi_get_reference_value(env, s->cb_ref, &cb) != napi_ok || !cb) goto out;
  napi_get_global(env, &recv);
  for (int b = 0; b < BUDGET && s->state == 1; b++) {
    for (int i = 0; i < SLOTS; i++) {
      struct msghdr *m = &s->rmsgs[i].msg_hdr;
      m->msg_name = &s->addrs[i];
      m->msg_namelen = sizeof s->addrs[i];
      m->msg_iov = &s->riov[i];
      m->msg_iovlen = 1;
      m->msg_control = NULL;
      m->msg_controllen = 0;
      m->msg_flags = 0;
    }
    int n = recvmmsg(s->fd, s->rmsgs, SLOTS, MSG_DONTWAIT, NULL);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno != EAGAIN && errno != EWOULDBLOCK) s->recv_errors++; /* e.g. ECONNREFUSED from ICMP */
      if (errno == EAGAIN || errno == EWOULDBLOCK) break;
      continue;
    }
    if (n == 0) break;
    s->batches++;
    s->received += n;
    for (int i = 0; i < n; i++) {
      fill_meta(s, i);
      if (s->meta[i * META_STRIDE] < 0) s->truncated++;
    }
    napi_value argv[1], ret;
    napi_create_int32(env, n, &argv[0]);
    napi_status st = napi_make_callback(env, s->async_ctx, recv, cb, 1, argv, &ret);
    if (st != napi_ok) {
      /* the JS callback threw: napi_make_callback reported it as uncaught; answer nothing */
      bool pending = false;
      napi_is_exception_pending(env, &pending);
      if (pending) {
        napi_value e;
        napi_get_and_clear_last_exception(env, &e);
        napi_fatal_exception(env, e);
      }
      break;
    }
    if (s->state != 1) break; /* stopped from inside the callback */
    send_batch(s, n);
    /* not full: the queue may still refill while this batch was answered; the next recvmmsg
       returns EAGAIN if not (cheaper than going back to epoll for what has arrived) */
  }
out:
  napi_close_handle_scope(env, scope);
}

static napi_value ub_start(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2], this_handle;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  ub_sock *s = get_sock(env, argv[0]);
  if (!s) return NULL;
  napi_valuetype t;
  CHECK(napi_typeof(env, argv[1], &t));
  if (t != napi_function) {
    napi_throw_type_error(env, "ERR_UDP_BATCH", "start(handle, onBatch): onBatch must be a function");
    return NULL;
  }
  if (s->state != 0) {
    napi_throw_error(env, "ERR_UDP_BATCH", s->state == 1 ? "already started" : "socket is closed");
    return NULL;
  }
  uv_loop_t *loop;
  CHECK(napi_get_uv_event_loop(env, &loop));
  int r = uv_poll_init(loop, &s->poll, s->fd);
  if (r < 0) {
    napi_throw_error(env, uv_err_name(r), uv_strerror(r));
    return NULL;
  }
  s->poll.data = s;
  this_handle = argv[0];
  napi_value name;
  CHECK(napi_create_string_utf8(env, "meridian:udp-batch", NAPI_AUTO_LENGTH, &name));
  CHECK(napi_async_init(env, NULL, name, &s->async_ctx));
  CHECK(napi_create_reference(env, argv[1], 1, &s->cb_ref));
  CHECK(napi_create_reference(env, this_handle, 1, &s->self_ref));
  r = uv_poll_start(&s->poll, UV_READABLE, on_poll);
  s->state = 1;
  if (r < 0) {
    close_socket(s);
    napi_throw_error(env, uv_err_name(r), uv_strerror(r));
    return NULL;
  }
  napi_add_async_cleanup_hook(env, env_cleanup, s, &s->cleanup);
  return NULL;
}

static napi_value ub_stop(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  ub_sock *s = get_sock(env, argv[0]);
  if (!s) return NULL;
  if (s->state == 2) return NULL;
  if (s->state == 1) {
    close_socket(s); /* on_close removes the cleanup hook */
  } else {
    close(s->fd);
    s->fd = -1;
    s->state = 2;
    if (s->bufs_ref) napi_delete_reference(env, s->bufs_ref);
    s->bufs_ref = NULL;
  }
  return NULL;
}

static napi_value ub_stats(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1], o;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  ub_sock *s = get_sock(env, argv[0]);
  if (!s) return NULL;
  CHECK(napi_create_object(env, &o));
  set_num(env, o, "received", s->received);
  set_num(env, o, "sent", s->sent);
  set_num(env, o, "dropped", s->dropped);
  set_num(env, o, "truncated", s->truncated);
  set_num(env, o, "batches", s->batches);
  set_num(env, o, "recvErrors", s->recv_errors);
  set_num(env, o, "sendErrors", s->send_errors);
  return o;
}

NAPI_MODULE_INIT(/* napi_env env, napi_value exports */) {
  napi_property_descriptor props[] = {
      {"open", NULL, ub_open, NULL, NULL, NULL, napi_enumerable, NULL},
      {"start", NULL, ub_start, NULL, NULL, NULL, napi_enumerable, NULL},
      {"stop", NULL, ub_stop, NULL, NULL, NULL, napi_enumerable, NULL},
      {"stats", NULL, ub_stats, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  if (napi_define_properties(env, exports, sizeof props / sizeof props[0], props) != napi_ok) return NULL;
  return exports;
}
