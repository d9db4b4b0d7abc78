#include "process.hpp"

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <regex>
#include <stdexcept>

extern char** environ;

namespace test_support {
namespace {

// Built before fork(): after it, the child may only call async-signal-safe functions.
std::vector<std::string> make_environment(const std::map<std::string, std::string>& overrides) {
  std::map<std::string, std::string> env;
  for (char** e = environ; *e; ++e) {
    std::string entry(*e);
    auto eq = entry.find('=');
    if (eq != std::string::npos) env[entry.substr(0, eq)] = entry.substr(eq + 1);
  }
  for (const auto& [k, v] : overrides) {
    if (v.empty()) {
      env.erase(k);
    } else {
      env[k] = v;
    }
  }
  std::vector<std::string> out;
  for (const auto& [k, v] : env) out.push_back(k + "=" + v);
  return out;
}

std::vector<char*> c_strings(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (auto& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

pid_t spawn(std::vector<std::string> argv, std::vector<std::string> env, int out_fd) {
  auto c_argv = c_strings(argv);
  auto c_env = c_strings(env);
  pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(out_fd, 1);
    ::dup2(out_fd, 2);
    ::close(out_fd);
    ::execve(c_argv[0], c_argv.data(), c_env.data());
    ::_exit(127);
  }
  return pid;
}

int decode_status(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return -WTERMSIG(status);
  return -1;
}

}  // namespace

Process::Process(std::vector<std::string> argv, std::map<std::string, std::string> env) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  // The child's end must survive exec: dup2 in the child clears O_CLOEXEC on 1 and 2.
  pid_ = spawn(std::move(argv), make_environment(env), fds[1]);
  ::close(fds[1]);
  if (pid_ < 0) {
    ::close(fds[0]);
    throw std::runtime_error("fork failed");
  }
  reader_ = std::thread([this, fd = fds[0]] { read_loop(fd); });
}

Process::~Process() {
  if (!exited_) kill();
  if (reader_.joinable()) reader_.join();
}

void Process::read_loop(int fd) {
  std::string pending;
  char buf[4096];
  while (true) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    pending.append(buf, static_cast<std::size_t>(n));
    std::size_t nl;
    while ((nl = pending.find('\n')) != std::string::npos) {
      std::lock_guard lock(mutex_);
      lines_.push_back(pending.substr(0, nl));
      pending.erase(0, nl + 1);
      cv_.notify_all();
    }
  }
  ::close(fd);
  std::lock_guard lock(mutex_);
  if (!pending.empty()) lines_.push_back(pending);
  eof_ = true;
  cv_.notify_all();
}

bool Process::wait_for_line(const std::string& needle, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return cv_.wait_for(lock, timeout, [&] {
    for (const auto& l : lines_) {
      if (l.find(needle) != std::string::npos) return true;
    }
    return eof_;
  }) && [&] {
    for (const auto& l : lines_) {
      if (l.find(needle) != std::string::npos) return true;
    }
    return false;
  }();
}

int Process::wait_for_port(std::chrono::milliseconds timeout) {
  if (!wait_for_line("\"msg\":\"listening\"", timeout)) return -1;
  static const std::regex port("\"port\":([0-9]+)");
  for (const auto& l : lines()) {
    std::smatch m;
    if (l.find("\"msg\":\"listening\"") != std::string::npos && std::regex_search(l, m, port)) {
      return std::stoi(m[1].str());
    }
  }
  return -1;
}

int Process::reap(std::chrono::milliseconds timeout) {
  if (exited_) return decode_status(status_);
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    int status = 0;
    pid_t r = ::waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
      exited_ = true;
      status_ = status;
      // The reader may not have drained the pipe yet: without this, output() right
      // after an exit could miss the last lines (seen with `chat-proxy backfill`).
      std::unique_lock lock(mutex_);
      cv_.wait_for(lock, std::chrono::seconds(5), [&] { return eof_; });
      return decode_status(status);
    }
    if (r < 0 && errno != EINTR) {
      exited_ = true;
      return -1;
    }
    if (std::chrono::steady_clock::now() >= deadline) return -1000;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

int Process::wait_exit(std::chrono::milliseconds timeout) { return reap(timeout); }

int Process::stop(std::chrono::milliseconds grace) {
  if (exited_) return decode_status(status_);
  ::kill(pid_, SIGTERM);
  int code = reap(grace);
  if (code == -1000) return kill();
  return code;
}

int Process::kill() {
  if (exited_) return decode_status(status_);
  ::kill(pid_, SIGKILL);
  return reap(std::chrono::seconds(30));
}

std::vector<std::string> Process::lines() const {
  std::lock_guard lock(mutex_);
  return lines_;
}

std::string Process::output() const {
  std::string out;
  for (const auto& l : lines()) out += l + "\n";
  return out;
}

TempDir::TempDir(const std::string& prefix) {
  std::string pattern = "/tmp/" + prefix + "-XXXXXX";
  std::vector<char> buf(pattern.begin(), pattern.end());
  buf.push_back('\0');
  if (!::mkdtemp(buf.data())) throw std::runtime_error("mkdtemp failed");
  path_ = buf.data();
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

int run_command(const std::vector<std::string>& argv, std::string* output) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return -1;
  pid_t pid = spawn(argv, make_environment({}), fds[1]);
  ::close(fds[1]);
  std::string out;
  char buf[4096];
  ssize_t n;
  while ((n = ::read(fds[0], buf, sizeof buf)) != 0) {
    if (n < 0) {
      if (errno == EINTR) continue;
      break;
    }
    out.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fds[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (output) *output = out;
  return decode_status(status);
}

bool write_file(const std::string& path, const std::string& content) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return false;
  bool ok = std::fwrite(content.data(), 1, content.size(), f) == content.size();
  return std::fclose(f) == 0 && ok;
}

int listen_loopback(int backlog, int& port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  port = -1;
  if (fd >= 0 && ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      (backlog <= 0 || ::listen(fd, backlog) == 0) &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
    return fd;
  }
  if (fd >= 0) ::close(fd);
  return -1;
}

int free_tcp_port() {
  int port = -1;
  int fd = listen_loopback(0, port);
  if (fd >= 0) ::close(fd);
  return port;
}

}  // namespace test_support
