// sip2xmpp: cross-protocol 1:1 traffic. N XMPP clients (accounts 0..N-1) log in and only
// receive; N SIP user agents (accounts N..2N-1), one TCP connection each, send MESSAGE
// (RFC 3428, text/plain) to them: agent i to client i. Each agent keeps a window of W
// messages not yet received by its XMPP peer. Proxy authentication is what a SIP client does:
// the first MESSAGE is challenged (407), the agent answers with digest credentials (RFC 7616,
// qop=auth) and then reuses the nonce with an increasing nonce count; a stale or new challenge
// is answered again. Responses are framed and parsed with Parley's SIP codec; the latency is
// the body stamp's, read from the XMPP <body/> at the receiver.
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <array>
#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <future>
#include <iostream>
#include <map>
#include <mutex>
#include <random>
#include <thread>
#include <variant>

#include "adapters/sip/wire/digest.hpp"
#include "adapters/sip/wire/sip_message.hpp"
#include "adapters/sip/wire/stream_framer.hpp"
#include "bench/body_stamp.hpp"
#include "bench/scenario_common.hpp"
#include "bench/seen_tracker.hpp"

namespace parley::bench {
namespace {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

constexpr std::size_t kMaxResponseBytes = 64 * 1024;

std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch())
      .count();
}

std::string random_token() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  char out[17];
  std::snprintf(out, sizeof out, "%016llx", static_cast<unsigned long long>(rng()));
  return out;
}

// Counters of one driver thread: only that thread writes them; read after it stopped.
struct alignas(64) PairStats {
  std::uint64_t sent_measured = 0;
  std::uint64_t delivered_measured = 0;
  std::uint64_t duplicates = 0;
  std::uint64_t accepted = 0;  // 2xx
  std::uint64_t refused = 0;   // other final responses (e.g. 503 while the archive is busy)
  std::uint64_t refused_measured = 0;
  std::uint64_t challenges = 0;  // 407s answered
  std::uint64_t errors = 0;
  std::string first_error;
  LatencyHistogram latency;
  std::atomic<std::uint64_t> sent_total{0};
  std::atomic<std::uint64_t> settled_total{0};  // received by the peer, or refused

  void fail(std::string what) {
    if (errors++ == 0) first_error = std::move(what);
  }
};

struct Run {
  const Options& options;
  std::int64_t measure_from_ns = 0;
  std::int64_t until_ns = 0;
  std::atomic<bool> stopping{false};
  bool measured(std::int64_t sent_ns) const {
    return sent_ns >= measure_from_ns && sent_ns < until_ns;
  }
};

// One SIP user agent: sends MESSAGE over its own TCP connection, on its driver thread only.
class SipAgent : public std::enable_shared_from_this<SipAgent> {
 public:
  SipAgent(Run& run, PairStats& stats, IoThread& thread, std::uint32_t index, std::string user,
           std::string target)
      : run_(run),
        stats_(stats),
        socket_(thread.io),
        index_(index),
        user_(std::move(user)),
        target_uri_("sip:" + target + "@" + run.options.domain),
        call_id_(random_token() + "@bench"),
        from_tag_(random_token()) {}

  asio::awaitable<void> connect(std::uint16_t port) {
    asio::ip::tcp::endpoint endpoint(asio::ip::make_address(run_.options.host), port);
    co_await socket_.async_connect(endpoint, asio::use_awaitable);
    socket_.set_option(asio::ip::tcp::no_delay(true));
    local_port_ = socket_.local_endpoint().port();
  }

  void start() {
    read();
    pump();
  }

  // The XMPP peer received message `seq` (same thread).
  void delivered() {
    --in_flight_;
    stats_.settled_total.fetch_add(1, std::memory_order_relaxed);
    pump();
  }

  void close() {
    boost::system::error_code ignored;
    socket_.close(ignored);
  }

 private:
  void pump() {
    // Until the first challenge is answered, one message at a time: every other request
    // would only collect its own 407.
    const std::uint64_t window = challenge_ ? *run_.options.window : 1;
    while (in_flight_ < window && !run_.stopping.load(std::memory_order_relaxed)) {
      const std::int64_t now = now_ns();
      if (now >= run_.until_ns) return;
      BodyStamp stamp{index_, next_seq_++, now};
      std::string body(kBodySize, ' ');
      encode_body(stamp, body.data());
      ++in_flight_;
      stats_.sent_total.fetch_add(1, std::memory_order_relaxed);
      if (run_.measured(now)) ++stats_.sent_measured;
      send(std::move(body));
    }
  }

  void send(std::string body) {
    const std::uint64_t cseq = next_cseq_++;
    sip::SipMessage request;
    request.method = "MESSAGE";
    request.request_uri = *sip::SipUri::parse(target_uri_);
    request.add_header("Via", "SIP/2.0/TCP 127.0.0.1:" + std::to_string(local_port_) +
                                  ";branch=z9hG4bK" + random_token() + ";rport");
    request.add_header("Max-Forwards", "70");
    request.add_header("From", "<sip:" + user_ + "@" + run_.options.domain + ">;tag=" + from_tag_);
    request.add_header("To", "<" + target_uri_ + ">");
    request.add_header("Call-ID", call_id_);
    request.add_header("CSeq", std::to_string(cseq) + " MESSAGE");
    request.add_header("Content-Type", "text/plain");
    if (challenge_) request.add_header("Proxy-Authorization", credentials_for(body));
    request.body = body;
    pending_.emplace(cseq, std::move(body));
    out_ += sip::serialize(request);
    flush();
  }

  // RFC 7616 §3.4 with qop=auth: the nonce is reused with nc counting up.
  std::string credentials_for(std::string_view body) {
    sip::DigestCredentials c;
    c.username = user_;
    c.realm = challenge_->realm;
    c.nonce = challenge_->nonce;
    c.uri = target_uri_;
    c.algorithm = challenge_->algorithm;
    c.opaque = challenge_->opaque;
    c.qop = challenge_->qop.empty() ? "" : "auth";
    char nc[9];
    std::snprintf(nc, sizeof nc, "%08x", ++nonce_count_);
    c.nc = c.qop.empty() ? "" : nc;
    c.cnonce = c.qop.empty() ? "" : random_token();
    c.response = sip::compute_response(c, ha1_, sip::DigestInput{"MESSAGE", body});
    return c.to_string();
  }

  void flush() {
    if (writing_ || out_.empty()) return;
    writing_ = true;
    in_write_.swap(out_);
    asio::async_write(socket_, asio::buffer(in_write_),
                      [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
                        self->writing_ = false;
                        self->in_write_.clear();
                        if (ec) return self->lost("write: " + ec.message());
                        self->flush();
                      });
  }

  void read() {
    socket_.async_read_some(
        asio::buffer(read_buffer_),
        [self = shared_from_this()](boost::system::error_code ec, std::size_t n) {
          if (ec) return self->lost("read: " + ec.message());
          for (auto& event : self->framer_.feed(std::string_view(self->read_buffer_.data(), n))) {
            if (std::holds_alternative<sip::KeepalivePing>(event)) continue;
            const auto* framed = std::get_if<sip::FramedMessage>(&event);
            if (framed == nullptr) return self->lost("unframeable bytes from the server");
            auto response = sip::parse_sip(framed->data);
            if (!response || response->is_request) {
              return self->lost("not a SIP response: " + framed->data.substr(0, 80));
            }
            self->on_response(*response);
          }
          self->read();
        });
  }

  void on_response(const sip::SipMessage& response) {
    if (response.status < 200) return;  // 100 Trying
    const auto cseq = response.cseq();
    auto it = cseq ? pending_.find(cseq->number) : pending_.end();
    if (it == pending_.end()) return;  // not ours, or answered already
    std::string body = std::move(it->second);
    pending_.erase(it);
    if (response.status == 407) {
      std::optional<sip::DigestChallenge> chosen;
      for (const auto& value : response.header_values("Proxy-Authenticate")) {
        if (auto challenge = sip::DigestChallenge::parse(value)) {
          chosen = std::move(challenge);
          break;
        }
      }
      if (!chosen) return lost("407 without a usable Proxy-Authenticate");
      // A second challenge for the same nonce that is not stale: the password is wrong.
      if (challenge_ && challenge_->nonce == chosen->nonce && !chosen->stale) {
        return lost("credentials refused (407 again)");
      }
      ha1_ = sip::compute_ha1(chosen->algorithm, user_, chosen->realm, run_.options.password);
      challenge_ = std::move(chosen);
      nonce_count_ = 0;
      ++stats_.challenges;
      send(std::move(body));  // the same message again, now with credentials
      return;
    }
    if (response.status < 300) {
      ++stats_.accepted;
      return;  // settled when the XMPP peer receives it
    }
    // Refused (e.g. 503 with Retry-After while the archive is backlogged): not delivered,
    // not lost; the window slot is free again.
    ++stats_.refused;
    if (const auto stamp = decode_body(body); stamp && run_.measured(stamp->sent_ns)) {
      ++stats_.refused_measured;
    }
    --in_flight_;
    stats_.settled_total.fetch_add(1, std::memory_order_relaxed);
    pump();
  }

  void lost(std::string what) {
    if (closed_) return;
    closed_ = true;
    if (!run_.stopping.load()) stats_.fail(user_ + ": " + what);
    close();
  }

  Run& run_;
  PairStats& stats_;
  asio::ip::tcp::socket socket_;
  std::uint32_t index_;
  std::string user_;
  std::string target_uri_;
  std::string call_id_;
  std::string from_tag_;
  std::uint16_t local_port_ = 0;
  sip::StreamFramer framer_{kMaxResponseBytes};
  // Its own: the thread's shared buffer is for the XMPP connections' synchronous reads, and
  // this read stays outstanding.
  std::array<char, 4096> read_buffer_{};
  std::optional<sip::DigestChallenge> challenge_;
  std::string ha1_;
  std::uint32_t nonce_count_ = 0;
  std::uint64_t next_cseq_ = 1;
  std::uint64_t next_seq_ = 0;
  std::uint64_t in_flight_ = 0;
  std::map<std::uint64_t, std::string> pending_;  // CSeq -> body, until the final response
  std::string out_;
  std::string in_write_;
  bool writing_ = false;
  bool closed_ = false;
};

}  // namespace

int run_sip2xmpp(const Options& options, RunReport& report) {
  report.window = options.window;
  const std::size_t n = options.clients;
  IoPool pool(options.threads);
  auto connections = make_connections(pool, options);  // the XMPP receivers, accounts 0..N-1
  std::vector<std::unique_ptr<PairStats>> stats;
  for (std::size_t t = 0; t < pool.size(); ++t) stats.push_back(std::make_unique<PairStats>());
  Run run{options};
  std::vector<std::shared_ptr<SipAgent>> agents;
  std::vector<SeenTracker> seen(n);
  PoolStopper stopper{pool};

  const PhaseResult login = log_in(pool, options, connections, 0, n);
  report.extra["connect_s"] = login.seconds;
  if (!check_phase(login, "xmpp login", report)) return 1;
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t t = i % pool.size();
    agents.push_back(std::make_shared<SipAgent>(run, *stats[t], pool.at(t),
                                                static_cast<std::uint32_t>(i),
                                                user_name(options, n + i), user_name(options, i)));
  }
  const PhaseResult connect =
      run_phase(pool, 0, n, options.connect_concurrency, options.connect_timeout,
                [&](std::size_t i) -> asio::awaitable<void> {
                  co_await agents[i]->connect(options.sip_port);
                });
  report.extra["sip_connect_s"] = connect.seconds;
  if (!check_phase(connect, "sip connect", report)) return 1;
  std::cerr << "sip2xmpp: " << n << " XMPP receivers and " << n << " SIP senders connected\n";

  // Receiver i hears agent i only (on the same driver thread: no locking between them).
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t t = i % pool.size();
    connections[i]->start_reading(
        [&, i, t](xmpp::wire::XmlElement&& stanza) {
          if (stanza.name() != "message") return;
          PairStats& s = *stats[t];
          if (stanza.attr_or("type") == "error") {
            s.fail(connections[i]->name() + ": message bounced: " + stanza.serialize());
            return;
          }
          const auto* body = stanza.child("body");
          const auto stamp = body ? decode_body(body->text()) : std::nullopt;
          if (!stamp || stamp->sender != i) return;
          if (!seen[i].insert(stamp->sender, stamp->seq)) {
            ++s.duplicates;
            return;
          }
          if (run.measured(stamp->sent_ns)) {
            ++s.delivered_measured;
            s.latency.record(now_ns() - stamp->sent_ns);
          }
          agents[i]->delivered();
        },
        [&, t, i](const std::string& reason) {
          if (!run.stopping.load()) stats[t]->fail(connections[i]->name() + ": " + reason);
        });
  }

  const auto start = Clock::now() + std::chrono::milliseconds(20);
  const auto to_ns = [](Clock::time_point p) {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(p.time_since_epoch()).count();
  };
  run.measure_from_ns = to_ns(start + options.warmup);
  run.until_ns = to_ns(start + options.warmup + options.duration);
  for (std::size_t i = 0; i < n; ++i) {
    asio::post(pool.at(i % pool.size()).io, [agent = agents[i]] { agent->start(); });
  }
  CpuMeter meter(pool);
  std::this_thread::sleep_until(start + options.warmup);
  meter.start();
  std::this_thread::sleep_until(start + options.warmup + options.duration);
  const CpuMeter::Result load = meter.finish();
  // Drain: what was sent is received (or refused) within the drain timeout, or it is lost.
  const auto total = [&](std::atomic<std::uint64_t> PairStats::*counter) {
    std::uint64_t sum = 0;
    for (const auto& s : stats) sum += ((*s).*counter).load(std::memory_order_relaxed);
    return sum;
  };
  const auto drain_until = Clock::now() + options.drain_timeout;
  while (Clock::now() < drain_until &&
         total(&PairStats::settled_total) < total(&PairStats::sent_total)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  run.stopping = true;
  std::vector<std::promise<void>> stopped(pool.size());
  for (std::size_t t = 0; t < pool.size(); ++t) {
    asio::post(pool.at(t).io, [&, t] {
      for (std::size_t i = t; i < n; i += pool.size()) {
        agents[i]->close();
        connections[i]->stop_reading();
      }
      stopped[t].set_value();
    });
  }
  for (auto& done : stopped) done.get_future().wait();

  std::uint64_t accepted = 0, refused = 0, refused_measured = 0, challenges = 0;
  for (const auto& s : stats) {
    report.sent += s->sent_measured;
    report.delivered += s->delivered_measured;
    report.duplicates += s->duplicates;
    report.latency.merge(s->latency);
    accepted += s->accepted;
    refused += s->refused;
    refused_measured += s->refused_measured;
    challenges += s->challenges;
    report.errors += s->errors;
    if (report.first_error.empty()) report.first_error = s->first_error;
  }
  // Refused messages (a final non-2xx answer) were not delivered, and the sender knows it.
  const std::uint64_t settled = report.delivered + refused_measured;
  report.lost = report.sent > settled ? report.sent - settled : 0;
  report.duration_s = std::chrono::duration<double>(options.duration).count();
  report.msgs_per_s = report.delivered / report.duration_s;
  report.driver_cpu_pct = load.cpu_pct_per_thread;
  report.driver_max_thread_busy_pct = load.max_thread_busy_pct;
  report.driver_bound = load.driver_bound;
  report.host_steal_pct = load.host_steal_pct;
  report.extra["sip_accepted"] = accepted;
  report.extra["sip_refused"] = refused;
  report.extra["sip_challenges"] = challenges;
  return report.errors == 0 ? 0 : 1;
}

}  // namespace parley::bench
