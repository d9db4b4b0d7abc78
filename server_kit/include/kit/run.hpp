#pragma once
// The servers' main loop: SIGINT and SIGTERM stop the server, SIGPIPE is ignored.

#include <functional>

namespace kit {

/// Blocks SIGINT and SIGTERM in this thread and in every thread started after it
/// (call first in main), and ignores SIGPIPE.
void block_stop_signals();

/// Runs `serve` on this thread until it returns; the first SIGINT or SIGTERM calls
/// `stop` (logged as "stopping"). Returns what `serve` returned.
bool serve_until_signal(const std::function<bool()>& serve, const std::function<void()>& stop);

}  // namespace kit
