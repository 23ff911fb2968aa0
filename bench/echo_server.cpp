// parley_bench_echo_server: the trivial server that gives the driver's ceiling. It writes back
// every byte it reads, so `parley_bench --scenario echo` pays the full per-message driver
// cost (serialize, parse with expat, bookkeeping) with no server work in between.
//   parley_bench_echo_server [--host 127.0.0.1] [--port 0] [--threads 1]
// Prints {"port":P} on stdout once listening; stops on SIGINT/SIGTERM.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <array>
#include <charconv>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace {

namespace asio = boost::asio;
using asio::ip::tcp;

asio::awaitable<void> echo(tcp::socket socket) {
  auto buffer = std::make_unique<std::array<char, 64 * 1024>>();
  boost::system::error_code ec;
  socket.set_option(tcp::no_delay(true), ec);
  for (;;) {
    const std::size_t n = co_await socket.async_read_some(
        asio::buffer(*buffer), asio::redirect_error(asio::use_awaitable, ec));
    if (ec) break;
    co_await asio::async_write(socket, asio::buffer(buffer->data(), n),
                               asio::redirect_error(asio::use_awaitable, ec));
    if (ec) break;
  }
}

// One acceptor per thread on the same port (SO_REUSEPORT): the kernel spreads connections.
asio::awaitable<void> accept_loop(tcp::acceptor& acceptor) {
  for (;;) {
    boost::system::error_code ec;
    tcp::socket socket =
        co_await acceptor.async_accept(asio::redirect_error(asio::use_awaitable, ec));
    if (ec == asio::error::operation_aborted) co_return;
    if (ec) continue;  // e.g. EMFILE: keep serving the others
    asio::co_spawn(acceptor.get_executor(), echo(std::move(socket)), asio::detached);
  }
}

template <typename T>
bool parse_number(std::string_view text, T& out) {
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc{} && end == text.data() + text.size();
}

}  // namespace

int main(int argc, char** argv) {
  std::string host = "127.0.0.1";
  unsigned short port = 0;
  std::size_t threads = 1;
  for (int i = 1; i < argc; ++i) {
    const std::string_view key = argv[i];
    const bool has_value = i + 1 < argc;
    bool ok = has_value;
    if (key == "--host" && has_value) {
      host = argv[++i];
    } else if (key == "--port" && has_value) {
      ok = parse_number(std::string_view(argv[++i]), port);
    } else if (key == "--threads" && has_value) {
      ok = parse_number(std::string_view(argv[++i]), threads) && threads > 0 && threads <= 64;
    } else {
      ok = false;
    }
    if (!ok) {
      std::cerr << "usage: parley_bench_echo_server [--host 127.0.0.1] [--port 0] [--threads 1]\n";
      return 64;
    }
  }
  try {
    std::vector<std::unique_ptr<asio::io_context>> contexts;
    std::vector<std::unique_ptr<tcp::acceptor>> acceptors;
    tcp::endpoint endpoint(asio::ip::make_address(host), port);
    for (std::size_t t = 0; t < threads; ++t) {
      contexts.push_back(std::make_unique<asio::io_context>(1));
      auto acceptor = std::make_unique<tcp::acceptor>(*contexts.back());
      acceptor->open(endpoint.protocol());
      acceptor->set_option(tcp::acceptor::reuse_address(true));
      int one = 1;
      ::setsockopt(acceptor->native_handle(), SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
      acceptor->bind(endpoint);
      acceptor->listen(asio::socket_base::max_listen_connections);
      endpoint = acceptor->local_endpoint();  // the others bind the port the first one got
      asio::co_spawn(*contexts.back(), accept_loop(*acceptor), asio::detached);
      acceptors.push_back(std::move(acceptor));
    }
    asio::signal_set signals(*contexts.front(), SIGINT, SIGTERM);
    signals.async_wait([&](const boost::system::error_code&, int) {
      for (auto& context : contexts) context->stop();
    });
    std::cout << nlohmann::json{{"port", endpoint.port()}}.dump() << std::endl;
    std::vector<std::thread> workers;
    for (std::size_t t = 1; t < threads; ++t) {
      workers.emplace_back([&contexts, t] { contexts[t]->run(); });
    }
    contexts.front()->run();
    for (auto& context : contexts) context->stop();
    for (auto& worker : workers) worker.join();
  } catch (const std::exception& e) {
    std::cerr << "parley_bench_echo_server: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
