// microhttpd.h expects these system headers first (it does not include them).
#include <sys/types.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <stdarg.h>
#include <stdint.h>
#include <microhttpd.h>

// Swift cannot call C variadic functions; these fixed-signature wrappers stand in for
// MHD_start_daemon, MHD_get_daemon_info and MHD_get_connection_info.

/// Starts a daemon listening on `addr` with our options. Returns NULL on failure (errno may say why).
static inline struct MHD_Daemon *
renum_mhd_start(unsigned int flags,
                const struct sockaddr *addr,
                MHD_AccessHandlerCallback handler, void *handler_cls,
                MHD_RequestCompletedCallback completed, void *completed_cls,
                unsigned int thread_pool_size,
                unsigned int connection_limit,
                unsigned int connection_timeout_seconds,
                size_t connection_memory_limit,
                unsigned int per_ip_connection_limit,
                unsigned int listen_backlog)
{
    return MHD_start_daemon(flags, 0, NULL, NULL, handler, handler_cls,
                            MHD_OPTION_SOCK_ADDR, addr,
                            MHD_OPTION_NOTIFY_COMPLETED, completed, completed_cls,
                            MHD_OPTION_THREAD_POOL_SIZE, thread_pool_size,
                            MHD_OPTION_CONNECTION_LIMIT, connection_limit,
                            MHD_OPTION_CONNECTION_TIMEOUT, connection_timeout_seconds,
                            MHD_OPTION_CONNECTION_MEMORY_LIMIT, connection_memory_limit,
                            MHD_OPTION_PER_IP_CONNECTION_LIMIT, per_ip_connection_limit,
                            MHD_OPTION_LISTEN_BACKLOG_SIZE, listen_backlog,
                            MHD_OPTION_END);
}

/// The port the daemon is bound to (useful after binding port 0), or 0.
static inline uint16_t renum_mhd_bound_port(struct MHD_Daemon *daemon)
{
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(daemon, MHD_DAEMON_INFO_BIND_PORT);
    return info ? info->port : 0;
}

/// The peer address of a connection, or NULL. Owned by MHD; valid during the callback.
static inline const struct sockaddr *renum_mhd_client_address(struct MHD_Connection *connection)
{
    const union MHD_ConnectionInfo *info = MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    return info ? info->client_addr : NULL;
}
