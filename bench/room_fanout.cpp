// parley_bench_room_fanout: how fast parleyd fans groupchat messages out to a room with many
// occupants (XEP-0045 §7.4). N clients join one room over plain TCP; K of them post M messages
// each, carrying a steady-clock send timestamp; every occupant counts the echoes it receives
// and the latency from send to receipt. Prints one JSON line; exits 1 if anything was lost.
//
// Single-threaded by design: one io_context thread drives every connection, so the counters
// need no locking and the driver's own cost is predictable (the daemon gets the other cores).
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <exception>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bench/bench_client.hpp"

namespace parley::bench {
namespace {

namespace asio = boost::asio;
using asio::use_awaitable;
using Clock = std::chrono::steady_clock;
using xmpp::wire::XmlElement;

constexpr std::string_view kBodyPrefix = "parley-bench ";

struct Options {
  std::string host = "127.0.0.1";
  unsigned short port = 5222;
  std::string domain = "localhost";
  std::string muc = "conference.localhost";
  std::string users_prefix = "benchuser";
  std::string password = "secret";
  std::string room = "bench-fanout";
  std::size_t occupants = 200;
  std::size_t posters = 5;
  std::size_t messages = 200;
  std::size_t window = 16;  // messages a poster may have in flight before its own echo returns
  std::size_t connect_concurrency = 16;
  std::chrono::seconds connect_timeout{300};
  std::chrono::seconds drain_timeout{30};
};

void usage() {
  std::cerr << "usage: parley_bench_room_fanout --port P [--host 127.0.0.1] [--domain localhost]\n"
               "  [--muc conference.localhost] [--users-prefix benchuser] [--password secret]\n"
               "  [--room bench-fanout] [--occupants 200] [--posters 5] [--messages 200]\n"
               "  [--window 16] [--connect-concurrency 16] [--connect-timeout-s 300]\n"
               "  [--drain-timeout-s 30]\n"
               "Accounts <users-prefix>1 .. <users-prefix>N must exist with that password.\n";
}

template <typename T>
bool parse_number(std::string_view text, T& out) {
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc{} && end == text.data() + text.size();
}

std::optional<Options> parse_options(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string_view key = argv[i];
    if (key == "--help" || key == "-h") return std::nullopt;
    if (i + 1 >= argc) {
      std::cerr << key << ": missing value\n";
      return std::nullopt;
    }
    const std::string_view value = argv[++i];
    bool ok = true;
    long seconds = 0;
    if (key == "--host") {
      options.host = value;
    } else if (key == "--port") {
      ok = parse_number(value, options.port);
    } else if (key == "--domain") {
      options.domain = value;
    } else if (key == "--muc") {
      options.muc = value;
    } else if (key == "--users-prefix") {
      options.users_prefix = value;
    } else if (key == "--password") {
      options.password = value;
    } else if (key == "--room") {
      options.room = value;
    } else if (key == "--occupants") {
      ok = parse_number(value, options.occupants);
    } else if (key == "--posters") {
      ok = parse_number(value, options.posters);
    } else if (key == "--messages") {
      ok = parse_number(value, options.messages);
    } else if (key == "--window") {
      ok = parse_number(value, options.window);
    } else if (key == "--connect-concurrency") {
      ok = parse_number(value, options.connect_concurrency);
    } else if (key == "--connect-timeout-s") {
      ok = parse_number(value, seconds) && seconds > 0;
      options.connect_timeout = std::chrono::seconds(seconds);
    } else if (key == "--drain-timeout-s") {
      ok = parse_number(value, seconds) && seconds > 0;
      options.drain_timeout = std::chrono::seconds(seconds);
    } else {
      std::cerr << key << ": unknown option\n";
      return std::nullopt;
    }
    if (!ok) {
      std::cerr << key << ": bad value '" << value << "'\n";
      return std::nullopt;
    }
  }
  if (options.port == 0 || options.occupants == 0 || options.posters == 0 ||
      options.posters > options.occupants || options.messages == 0 || options.window == 0 ||
      options.connect_concurrency == 0) {
    std::cerr << "need --port, occupants >= posters >= 1, messages >= 1, window >= 1\n";
    return std::nullopt;
  }
  return options;
}

// The run's shared state. Everything runs on one thread.
class FanoutBench {
 public:
  FanoutBench(asio::io_context& io, Options options) : io_(io), options_(std::move(options)) {
    const std::size_t per_client = options_.posters * options_.messages;
    for (std::size_t i = 0; i < options_.occupants; ++i) {
      ClientSettings settings{.host = options_.host,
                              .port = options_.port,
                              .domain = options_.domain,
                              .user = options_.users_prefix + std::to_string(i + 1),
                              .password = options_.password,
                              .room_jid = options_.room + "@" + options_.muc};
      clients_.push_back(std::make_unique<BenchClient>(io_, std::move(settings)));
      seen_.emplace_back(per_client, false);
    }
    for (std::size_t p = 0; p < options_.posters; ++p) {
      wake_.push_back(std::make_unique<asio::steady_timer>(io_));
    }
    echoed_.assign(options_.posters, 0);
    latencies_ns_.reserve(per_client * options_.occupants);
  }

  asio::awaitable<int> run() {
    const auto connect_started = Clock::now();
    // The first occupant joins alone: it creates the room (XEP-0045 §10.1), so the others
    // join an existing room instead of racing to create it.
    try {
      co_await join(0);
    } catch (const std::exception& e) {
      first_error_ = e.what();
    }
    next_to_connect_ = 1;
    const std::size_t workers = first_error_.empty() ? options_.connect_concurrency : 0;
    for (std::size_t w = 0; w < std::min(workers, clients_.size()); ++w) {
      asio::co_spawn(io_, connect_worker(),
                     [this](std::exception_ptr error) { record_error(error); });
    }
    const bool joined =
        co_await wait_until([this] { return joined_ == clients_.size() || !first_error_.empty(); },
                            connect_started + options_.connect_timeout);
    const double connect_s = seconds_since(connect_started);
    if (!joined || !first_error_.empty()) {
      std::cerr << "join phase failed: " << joined_ << "/" << clients_.size() << " joined; "
                << (first_error_.empty() ? "timeout" : first_error_) << "\n";
      shutdown();
      co_return 2;
    }

    post_started_ = Clock::now();
    last_delivery_ = post_started_;
    for (std::size_t p = 0; p < options_.posters; ++p) {
      asio::co_spawn(io_, poster(p), [this](std::exception_ptr error) {
        record_error(error);
        ++posters_done_;
      });
    }
    // Bounded: each poster's flow control waits at most drain_timeout per message.
    const auto hard_limit =
        post_started_ + options_.drain_timeout * (static_cast<long>(options_.messages) + 1);
    co_await wait_until([this] { return posters_done_ == options_.posters; }, hard_limit);
    const auto posted_at = Clock::now();
    co_await wait_until([this] { return received_ == expected_deliveries(); },
                        std::min(hard_limit, posted_at + options_.drain_timeout));

    print_report(connect_s);
    shutdown();
    if (!first_error_.empty()) std::cerr << "error: " << first_error_ << "\n";
    const bool complete = posted_ == options_.posters * options_.messages &&
                          received_ == expected_deliveries() && first_error_.empty();
    co_return complete ? 0 : 1;
  }

 private:
  std::size_t expected_deliveries() const { return posted_ * options_.occupants; }

  static double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
  }

  void record_error(std::exception_ptr error) {
    if (!error || !first_error_.empty()) return;
    try {
      std::rethrow_exception(error);
    } catch (const std::exception& e) {
      first_error_ = e.what();
    }
  }

  // A bounded wait for a condition the read loops change; polls because the condition spans
  // hundreds of connections. The poll interval does not affect the figures: the delivery
  // times are taken when each stanza is parsed.
  template <typename Predicate>
  asio::awaitable<bool> wait_until(Predicate done, Clock::time_point deadline) {
    asio::steady_timer timer(io_);
    while (!done()) {
      if (Clock::now() >= deadline) co_return false;
      timer.expires_after(std::chrono::milliseconds(5));
      co_await timer.async_wait(use_awaitable);
    }
    co_return true;
  }

  asio::awaitable<void> join(std::size_t index) {
    BenchClient& client = *clients_[index];
    co_await client.connect_and_join();
    ++joined_;
    asio::co_spawn(io_, client.read_loop([this, index](const XmlElement& stanza) {
      on_stanza(index, stanza);
    }),
                   asio::detached);
  }

  asio::awaitable<void> connect_worker() {
    while (next_to_connect_ < clients_.size() && first_error_.empty()) {
      co_await join(next_to_connect_++);
    }
  }

  asio::awaitable<void> poster(std::size_t p) {
    BenchClient& client = *clients_[p];
    asio::steady_timer& wake = *wake_[p];
    for (std::size_t seq = 0; seq < options_.messages; ++seq) {
      // Flow control: at most `window` messages of this poster not yet echoed back to it.
      while (seq - echoed_[p] >= options_.window) {
        if (client.closed()) throw std::runtime_error(client.nick() + ": connection closed");
        wake.expires_after(options_.drain_timeout);
        boost::system::error_code ec;
        co_await wake.async_wait(asio::redirect_error(use_awaitable, ec));
        if (!ec) throw std::runtime_error(client.nick() + ": no echo within the drain timeout");
      }
      const auto sent_ns =
          std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch());
      XmlElement message("message", "jabber:client");
      message.set_attr("to", options_.room + "@" + options_.muc);
      message.set_attr("type", "groupchat");
      message.set_attr("id", "b" + std::to_string(p) + "-" + std::to_string(seq));
      message.add_child("body").add_text(std::string(kBodyPrefix) + std::to_string(p) + " " +
                                         std::to_string(seq) + " " +
                                         std::to_string(sent_ns.count()));
      co_await client.send(message);
      ++posted_;
    }
  }

  // "parley-bench <poster> <seq> <sent steady-clock ns>" in a groupchat echo from the room.
  void on_stanza(std::size_t client_index, const XmlElement& stanza) {
    if (stanza.name() != "message" || stanza.attr_or("type") != "groupchat") return;
    if (stanza.child("delay", "urn:xmpp:delay")) return;  // history (XEP-0203), not live
    const std::string body = stanza.child_text("body");
    if (body.rfind(kBodyPrefix, 0) != 0) return;
    std::string_view rest = std::string_view(body).substr(kBodyPrefix.size());
    std::uint64_t fields[3] = {};
    for (auto& field : fields) {
      const auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), field);
      if (ec != std::errc{}) return;
      rest.remove_prefix(static_cast<std::size_t>(end - rest.data()));
      if (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
    }
    const std::uint64_t p = fields[0];
    const std::uint64_t seq = fields[1];
    if (p >= options_.posters || seq >= options_.messages) return;
    const auto now = Clock::now();
    std::vector<bool>::reference seen = seen_[client_index][p * options_.messages + seq];
    if (seen) {
      ++duplicates_;
      return;
    }
    seen = true;
    ++received_;
    last_delivery_ = now;
    const auto now_ns =
        std::chrono::duration_cast<std::chrono::nanoseconds>(now.time_since_epoch()).count();
    latencies_ns_.push_back(now_ns - static_cast<std::int64_t>(fields[2]));
    if (client_index == p) {  // the poster's own echo: open its window
      ++echoed_[p];
      wake_[p]->cancel();
    }
  }

  void print_report(double connect_s) {
    const std::size_t expected = expected_deliveries();
    const double duration_s = std::chrono::duration<double>(last_delivery_ - post_started_).count();
    std::sort(latencies_ns_.begin(), latencies_ns_.end());
    auto percentile_ms = [this](double q) {
      if (latencies_ns_.empty()) return 0.0;
      const auto index =
          static_cast<std::size_t>(q * static_cast<double>(latencies_ns_.size() - 1));
      return static_cast<double>(latencies_ns_[index]) / 1e6;
    };
    auto round3 = [](double value) {
      return static_cast<double>(static_cast<std::int64_t>(value * 1000.0 + 0.5)) / 1000.0;
    };
    nlohmann::ordered_json report = {
        {"bench", "room_fanout"},
        {"occupants", options_.occupants},
        {"posters", options_.posters},
        {"messages_per_poster", options_.messages},
        {"window", options_.window},
        {"messages_posted", posted_},
        {"deliveries_expected", expected},
        {"deliveries_received", received_},
        {"lost", expected - std::min(expected, received_)},
        {"duplicates", duplicates_},
        {"join_s", round3(connect_s)},
        {"duration_s", round3(duration_s)},
        {"deliveries_per_s",
         duration_s > 0 ? round3(static_cast<double>(received_) / duration_s) : 0.0},
        {"latency_ms",
         {{"p50", round3(percentile_ms(0.50))},
          {"p90", round3(percentile_ms(0.90))},
          {"p99", round3(percentile_ms(0.99))},
          {"max", round3(percentile_ms(1.0))}}},
    };
    std::cout << report.dump() << std::endl;
  }

  void shutdown() {
    for (auto& client : clients_) client->close();
    for (auto& timer : wake_) timer->cancel();
  }

  asio::io_context& io_;
  Options options_;
  std::vector<std::unique_ptr<BenchClient>> clients_;
  std::vector<std::vector<bool>> seen_;                    // per client: (poster, seq) received
  std::vector<std::unique_ptr<asio::steady_timer>> wake_;  // per poster: an echo arrived
  std::vector<std::size_t> echoed_;
  std::vector<std::int64_t> latencies_ns_;
  std::size_t next_to_connect_ = 0;
  std::size_t joined_ = 0;
  std::size_t posters_done_ = 0;
  std::size_t posted_ = 0;
  std::size_t received_ = 0;
  std::size_t duplicates_ = 0;
  Clock::time_point post_started_;
  Clock::time_point last_delivery_;
  std::string first_error_;
};

}  // namespace
}  // namespace parley::bench

int main(int argc, char** argv) {
  const auto options = parley::bench::parse_options(argc, argv);
  if (!options) {
    parley::bench::usage();
    return 64;
  }
  boost::asio::io_context io(1);
  parley::bench::FanoutBench bench(io, *options);
  int exit_code = 3;
  boost::asio::co_spawn(io, bench.run(), [&exit_code, &io](std::exception_ptr error, int code) {
    exit_code = error ? 3 : code;
    io.stop();  // the read loops of the closed connections need not be drained
  });
  io.run();
  return exit_code;
}
