#include "stream_crowd.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>

namespace test_support {
namespace {

int connect_loopback(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::runtime_error("socket() failed");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    throw std::runtime_error("connect() failed");
  }
  return fd;
}

}  // namespace

bool StreamCrowd::allow_open_files(std::size_t wanted) {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return false;
  limit.rlim_cur = limit.rlim_max;
  ::setrlimit(RLIMIT_NOFILE, &limit);
  ::getrlimit(RLIMIT_NOFILE, &limit);
  return limit.rlim_cur == RLIM_INFINITY || limit.rlim_cur >= wanted;
}

StreamCrowd::StreamCrowd(int port, std::size_t count, const std::string& request) {
  fds_.reserve(count);
  for (std::size_t i = 0; i < count; ++i) fds_.push_back(connect_loopback(port));
  received_.resize(count);
  for (int fd : fds_) {
    std::size_t sent = 0;
    while (sent < request.size()) {
      auto n = ::send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) break;  // the server closed it: what it said is still read below
      sent += static_cast<std::size_t>(n);
    }
  }
}

StreamCrowd::~StreamCrowd() {
  for (int fd : fds_) ::close(fd);
}

std::size_t StreamCrowd::wait_all(const std::string& needle, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::vector<std::size_t> waiting;  // indexes still without the needle, and open
  std::size_t done = 0;
  for (std::size_t i = 0; i < fds_.size(); ++i) {
    if (received_[i].find(needle) != std::string::npos) {
      ++done;
    } else {
      waiting.push_back(i);
    }
  }
  std::vector<pollfd> polled;
  char buffer[16384];
  while (!waiting.empty()) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    polled.clear();
    for (auto i : waiting) polled.push_back(pollfd{fds_[i], POLLIN, 0});
    if (::poll(polled.data(), polled.size(), static_cast<int>(left.count())) <= 0) break;
    std::vector<std::size_t> still;
    for (std::size_t k = 0; k < waiting.size(); ++k) {
      auto i = waiting[k];
      bool open = true;
      if (polled[k].revents != 0) {
        auto n = ::recv(fds_[i], buffer, sizeof buffer, MSG_DONTWAIT);
        if (n > 0) {
          received_[i].append(buffer, static_cast<std::size_t>(n));
        } else if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) {
          open = false;  // closed: it will never receive the needle now
        }
      }
      if (received_[i].find(needle) != std::string::npos) {
        ++done;
      } else if (open) {
        still.push_back(i);
      }
    }
    waiting.swap(still);
  }
  return done;
}

}  // namespace test_support
