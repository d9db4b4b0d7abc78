#pragma once
// Child processes for tests: the real server binaries started with arguments and
// extra environment, their output captured line by line, the port read from the
// `"msg":"listening"` line, killed and reaped at the end.

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace test_support {

class Process {
 public:
  /// Starts argv[0] (a path) with the current environment plus `env`, where an
  /// empty value unsets the variable. Stdout and stderr are captured together.
  Process(std::vector<std::string> argv, std::map<std::string, std::string> env = {});
  /// Kills (SIGKILL) and reaps the child if it still runs.
  ~Process();
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  /// Waits for a line holding `"msg":"listening"` and returns its `"port"`; -1 when
  /// the process exits or the timeout passes first.
  int wait_for_port(std::chrono::milliseconds timeout = std::chrono::seconds(20));
  /// Waits for an output line containing `needle`.
  bool wait_for_line(const std::string& needle, std::chrono::milliseconds timeout);
  /// SIGTERM, then SIGKILL after `grace`; returns the exit code, or -signal.
  int stop(std::chrono::milliseconds grace = std::chrono::seconds(10));
  /// SIGKILL now (a crash, as far as the child can tell); returns -9.
  int kill();
  /// Waits for the child to exit on its own; its exit code, or -1000 on timeout.
  int wait_exit(std::chrono::milliseconds timeout);

  std::vector<std::string> lines() const;
  std::string output() const;
  pid_t pid() const { return pid_; }

 private:
  void read_loop(int fd);
  int reap(std::chrono::milliseconds timeout);

  pid_t pid_ = -1;
  bool exited_ = false;
  int status_ = 0;
  std::thread reader_;
  mutable std::mutex mutex_;
  std::condition_variable cv_;
  std::vector<std::string> lines_;
  bool eof_ = false;
};

/// A fresh directory under /tmp, removed with its content by the destructor.
class TempDir {
 public:
  explicit TempDir(const std::string& prefix = "chat-test");
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

/// Runs a program (no shell) to its end; returns its exit code (-signal if killed)
/// and, if asked, its stdout and stderr together.
int run_command(const std::vector<std::string>& argv, std::string* output = nullptr);

/// Writes a whole file; false on failure.
bool write_file(const std::string& path, const std::string& content);

/// A TCP port that was free a moment ago.
int free_tcp_port();

/// A socket bound to 127.0.0.1 on a free port (listening when `backlog` > 0); its
/// descriptor, -1 on failure. `port` receives the port.
int listen_loopback(int backlog, int& port);

}  // namespace test_support
