#pragma once
// A child process for tests: started with extra environment, its stdout and stderr in
// a log file, its port read from the "listening" line, stopped with SIGTERM.
// (tests/support did not exist yet when the proxy tests were written.)

#include <sys/types.h>

#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace proxy_test {

class Process {
 public:
  /// Starts argv[0] with the current environment plus `env` (empty value = unset).
  Process(std::vector<std::string> argv, std::map<std::string, std::string> env,
          std::string log_path);
  ~Process();
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  /// Waits for the `"msg":"listening"` line and returns its port; fails the test on
  /// timeout or exit.
  int wait_for_port(std::chrono::milliseconds timeout = std::chrono::seconds(15));
  /// SIGTERM, then SIGKILL after `grace`; returns the exit status (or -signal).
  int stop(std::chrono::milliseconds grace = std::chrono::seconds(5));
  /// Waits for the process to exit by itself; returns its exit status, or -1000 on timeout.
  int wait_exit(std::chrono::milliseconds timeout);
  /// Everything it printed so far.
  std::string output() const;
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  std::string log_path_;
  int status_ = 0;
  bool exited_ = false;
};

/// A fresh temporary directory, removed by the destructor.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

/// Runs a command line through /bin/sh; returns its exit status.
int run_shell(const std::string& command);

}  // namespace proxy_test
