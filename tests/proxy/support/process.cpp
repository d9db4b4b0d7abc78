#include "process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

namespace proxy_test {

Process::Process(std::vector<std::string> argv, std::map<std::string, std::string> env,
                 std::string log_path)
    : log_path_(std::move(log_path)) {
  int fd = ::open(log_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  REQUIRE(fd >= 0);
  pid_ = ::fork();
  REQUIRE(pid_ >= 0);
  if (pid_ == 0) {
    ::dup2(fd, 1);
    ::dup2(fd, 2);
    for (const auto& [key, value] : env) {
      if (value.empty()) {
        ::unsetenv(key.c_str());
      } else {
        ::setenv(key.c_str(), value.c_str(), 1);
      }
    }
    std::vector<char*> args;
    for (auto& arg : argv) args.push_back(arg.data());
    args.push_back(nullptr);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  ::close(fd);
}

Process::~Process() {
  if (!exited_) stop(std::chrono::seconds(5));
}

std::string Process::output() const {
  std::ifstream in(log_path_);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

int Process::wait_for_port(std::chrono::milliseconds timeout) {
  static const std::regex kPort(R"re("msg":"listening".*"port":([0-9]+)|"port":([0-9]+).*"msg":"listening")re");
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    auto text = output();
    std::smatch m;
    if (std::regex_search(text, m, kPort)) return std::stoi(m[1].matched ? m[1].str() : m[2].str());
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      exited_ = true;
      status_ = status;
      FAIL("process exited before listening:\n" << text);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  FAIL("no listening line in time:\n" << output());
  return -1;
}

int Process::wait_exit(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!exited_) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      exited_ = true;
      status_ = status;
      break;
    }
    if (std::chrono::steady_clock::now() > deadline) return -1000;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return WIFEXITED(status_) ? WEXITSTATUS(status_) : -WTERMSIG(status_);
}

int Process::stop(std::chrono::milliseconds grace) {
  if (!exited_) {
    ::kill(pid_, SIGTERM);
    if (wait_exit(grace) == -1000) {
      ::kill(pid_, SIGKILL);
      wait_exit(std::chrono::seconds(5));
    }
  }
  return WIFEXITED(status_) ? WEXITSTATUS(status_) : -WTERMSIG(status_);
}

TempDir::TempDir() {
  std::string pattern = "/tmp/chat-proxy-test-XXXXXX";
  REQUIRE(::mkdtemp(pattern.data()) != nullptr);
  path_ = pattern;
  ::chmod(path_.c_str(), 0755);
}

TempDir::~TempDir() { run_shell("rm -rf '" + path_ + "'"); }

int run_shell(const std::string& command) {
  int status = std::system(command.c_str());  // NOLINT(cert-env33-c): test helper
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace proxy_test
