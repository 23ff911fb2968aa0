#include "bench/traffic.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <algorithm>
#include <cmath>
#include <condition_variable>
#include <future>
#include <limits>
#include <mutex>
#include <stdexcept>

#include "bench/body_stamp.hpp"
#include "bench/seen_tracker.hpp"

namespace parley::bench {
namespace {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;
using xmpp::wire::XmlElement;

constexpr std::size_t kMaxBatch = 256;  // messages one pump writes before yielding
// Rate mode: a sender whose socket does not drain skips its slots past this backlog rather
// than queue without bound (the skipped slots are reported as send_skipped).
constexpr std::size_t kMaxBacklogBytes = 256 * 1024;
constexpr std::chrono::milliseconds kPacerTick{1};
constexpr std::chrono::milliseconds kPoll{5};

std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch())
      .count();
}

struct SenderState {
  std::atomic<std::uint64_t> credited{0};  // incremented by receivers (any thread)
  std::atomic<bool> blocked{false};        // the window is full: the next credit pumps
  std::uint64_t next_seq = 0;              // sender's thread only
  std::uint64_t slots_done = 0;            // rate mode: pacing slots consumed
  double phase = 0;                        // rate mode: offset in [0, 1) spreading senders
};

// Counters of one driver thread. The atomics have a single writer (that thread) and are
// read by the controller while the run goes on; the rest is read after the run.
struct alignas(64) ThreadStats {
  std::atomic<std::uint64_t> sent_total{0};
  std::atomic<std::uint64_t> received_total{0};
  std::uint64_t sent_measured = 0;
  std::uint64_t delivered_measured = 0;
  std::uint64_t duplicates = 0;
  std::uint64_t misrouted = 0;
  std::uint64_t stanza_errors = 0;
  std::uint64_t send_skipped = 0;
  std::int64_t first_send_ns = 0;
  std::int64_t last_delivery_ns = 0;
  LatencyHistogram latency;
  std::vector<std::size_t> senders;  // member indices on this thread that send
  std::unique_ptr<asio::steady_timer> pacer;

  void bump(std::atomic<std::uint64_t>& counter) {
    counter.store(counter.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
  }
};

class Engine : public std::enable_shared_from_this<Engine> {
 public:
  Engine(IoPool& pool, const TrafficConfig& config, std::vector<TrafficMember> members)
      : pool_(pool), config_(config), members_(std::move(members)) {
    senders_ = std::make_unique<SenderState[]>(members_.size());
    seen_.resize(members_.size());
    for (std::size_t t = 0; t < pool_.size(); ++t)
      threads_.push_back(std::make_unique<ThreadStats>());
    std::size_t sender_count = 0;
    for (std::size_t i = 0; i < members_.size(); ++i) {
      if (members_[i].message) {
        threads_[members_[i].thread]->senders.push_back(i);
        ++sender_count;
      }
    }
    sender_count_ = sender_count;
    for (std::size_t i = 0, k = 0; i < members_.size(); ++i) {
      if (members_[i].message) senders_[i].phase = static_cast<double>(k++) / sender_count;
    }
    if (config_.rate) per_sender_rate_ = *config_.rate / static_cast<double>(sender_count);
  }

  void run(RunReport& report);

 private:
  bool can_send(const SenderState& sender, std::int64_t now) const {
    return now < until_ns_ &&
           (!config_.messages_per_sender || sender.next_seq < *config_.messages_per_sender);
  }
  bool measured(std::int64_t sent_ns) const {
    return sent_ns >= measure_from_ns_ && sent_ns < until_ns_;
  }

  void write_one(std::size_t s, std::int64_t now) {
    SenderState& sender = senders_[s];
    const MessageTemplate& message = *members_[s].message;
    std::string& out = members_[s].connection->out_buffer();
    const std::size_t at = out.size();
    out.append(message.bytes);
    encode_body({.sender = static_cast<std::uint32_t>(s), .seq = sender.next_seq, .sent_ns = now},
                out.data() + at + message.body_offset);
    ++sender.next_seq;
    ThreadStats& stats = *threads_[members_[s].thread];
    if (stats.first_send_ns == 0) stats.first_send_ns = now;
    stats.bump(stats.sent_total);
    if (measured(now)) ++stats.sent_measured;
  }

  // Window mode: send while the window has room; when full, arm `blocked` so the receiver
  // that credits us next pumps again (checked twice so a credit cannot slip in between).
  void pump(std::size_t s) {
    XmppConnection& connection = *members_[s].connection;
    if (connection.closed() || stopping_.load(std::memory_order_relaxed)) return;
    SenderState& sender = senders_[s];
    const std::uint64_t window = *config_.window;
    const std::int64_t now = now_ns();
    std::size_t batch = 0;
    for (;;) {
      while (can_send(sender, now) && batch < kMaxBatch &&
             sender.next_seq - sender.credited.load(std::memory_order_acquire) < window) {
        write_one(s, now);
        ++batch;
      }
      if (!can_send(sender, now)) break;
      if (batch >= kMaxBatch) {
        asio::post(pool_.at(members_[s].thread).io,
                   [self = shared_from_this(), s] { self->pump(s); });
        break;
      }
      sender.blocked.store(true);
      if (sender.next_seq - sender.credited.load() >= window) break;
      sender.blocked.store(false);
    }
    connection.flush();
  }

  // Rate mode: every tick each sender of the thread sends what its schedule says is due.
  void tick(std::size_t t) {
    if (stopping_.load(std::memory_order_relaxed)) return;
    ThreadStats& stats = *threads_[t];
    const std::int64_t now = now_ns();
    const double elapsed_s = static_cast<double>(now - start_ns_) / 1e9;
    for (const std::size_t s : stats.senders) {
      SenderState& sender = senders_[s];
      XmppConnection& connection = *members_[s].connection;
      if (connection.closed()) continue;
      const auto due = static_cast<std::uint64_t>(per_sender_rate_ * elapsed_s + sender.phase);
      while (sender.slots_done < due && can_send(sender, now)) {
        ++sender.slots_done;
        if (connection.backlog_bytes() >= kMaxBacklogBytes) {
          ++stats.send_skipped;
          continue;
        }
        write_one(s, now);
      }
      connection.flush();
    }
    if (now >= until_ns_) return;
    stats.pacer->expires_at(stats.pacer->expiry() + kPacerTick);
    stats.pacer->async_wait([self = shared_from_this(), t](const boost::system::error_code& ec) {
      if (!ec) self->tick(t);
    });
  }

  void on_stanza(std::size_t r, const XmlElement& stanza) {
    if (stanza.name() != "message") return;
    ThreadStats& stats = *threads_[members_[r].thread];
    if (stanza.attr_or("type") == "error") {
      ++stats.stanza_errors;
      note_error(members_[r].connection->name() + ": message bounced: " + stanza.serialize());
      return;
    }
    const XmlElement* body = stanza.child("body");
    if (!body) return;
    if (config_.ignore_delayed && stanza.child("delay", "urn:xmpp:delay")) return;
    const auto stamp = decode_body(body->text());
    if (!stamp) return;
    const TrafficMember& receiver = members_[r];
    if (stamp->sender >= members_.size() ||
        (!receiver.any_sender && stamp->sender != receiver.expected_sender)) {
      ++stats.misrouted;
      return;
    }
    if (!seen_[r].insert(stamp->sender, stamp->seq)) {
      ++stats.duplicates;
      return;
    }
    stats.bump(stats.received_total);
    if (measured(stamp->sent_ns)) {
      const std::int64_t now = now_ns();
      ++stats.delivered_measured;
      stats.latency.record(now - stamp->sent_ns);
      stats.last_delivery_ns = std::max(stats.last_delivery_ns, now);
    }
    credit(stamp->sender, r);
  }

  void credit(std::size_t s, std::size_t r) {
    if (!config_.window || (config_.credit_own_echo_only && s != r)) return;
    SenderState& sender = senders_[s];
    sender.credited.fetch_add(1);
    if (!sender.blocked.load() || !sender.blocked.exchange(false)) return;
    if (members_[s].thread == members_[r].thread) {
      pump(s);
    } else {
      asio::post(pool_.at(members_[s].thread).io,
                 [self = shared_from_this(), s] { self->pump(s); });
    }
  }

  void note_error(const std::string& error) {
    std::lock_guard lock(mutex_);
    if (errors_++ == 0) first_error_ = error;
    changed_.notify_all();
  }
  std::uint64_t errors() {
    std::lock_guard lock(mutex_);
    return errors_;
  }

  std::uint64_t total(std::atomic<std::uint64_t> ThreadStats::*counter) const {
    std::uint64_t sum = 0;
    for (const auto& stats : threads_) sum += ((*stats).*counter).load(std::memory_order_relaxed);
    return sum;
  }

  // Waits until pred() or the deadline; returns early (false) when a connection failed.
  template <typename Pred>
  bool wait_until(Clock::time_point deadline, Pred pred, bool poll) {
    std::unique_lock lock(mutex_);
    for (;;) {
      if (errors_ > 0 && !ignore_errors_) return false;
      lock.unlock();
      const bool done = pred();
      lock.lock();
      if (done) return true;
      const auto now = Clock::now();
      if (now >= deadline) return false;
      changed_.wait_until(lock, poll ? std::min(deadline, now + kPoll) : deadline);
    }
  }

  void start_thread(std::size_t t);
  void stop_thread(std::size_t t, std::promise<void>& done);  // on thread t

  IoPool& pool_;
  TrafficConfig config_;
  std::vector<TrafficMember> members_;
  std::unique_ptr<SenderState[]> senders_;
  std::vector<SeenTracker> seen_;  // per member, its thread only
  std::vector<std::unique_ptr<ThreadStats>> threads_;
  std::size_t sender_count_ = 0;
  double per_sender_rate_ = 0;
  std::int64_t start_ns_ = 0;
  std::int64_t measure_from_ns_ = 0;
  std::int64_t until_ns_ = std::numeric_limits<std::int64_t>::max();
  std::atomic<bool> stopping_{false};
  std::mutex mutex_;
  std::condition_variable changed_;
  std::uint64_t errors_ = 0;
  bool ignore_errors_ = false;
  std::string first_error_;
};

void Engine::start_thread(std::size_t t) {
  for (std::size_t i = 0; i < members_.size(); ++i) {
    if (members_[i].thread != t) continue;
    // Raw `this` in the connection callbacks: stop_thread() releases them before the engine
    // can go away.
    members_[i].connection->start_reading(
        [this, i](XmlElement&& stanza) { on_stanza(i, stanza); },
        [this](const std::string& reason) { note_error(reason); });
  }
  ThreadStats& stats = *threads_[t];
  if (config_.window) {
    for (const std::size_t s : stats.senders) pump(s);
  } else if (!stats.senders.empty()) {
    stats.pacer = std::make_unique<asio::steady_timer>(pool_.at(t).io);
    stats.pacer->expires_at(Clock::time_point(std::chrono::nanoseconds(start_ns_)));
    stats.pacer->async_wait([self = shared_from_this(), t](const boost::system::error_code& ec) {
      if (!ec) self->tick(t);
    });
  }
}

void Engine::stop_thread(std::size_t t, std::promise<void>& done) {
  if (threads_[t]->pacer) threads_[t]->pacer->cancel();
  for (auto& member : members_) {
    if (member.thread != t) continue;
    member.connection->close();
    member.connection->stop_reading();  // drop the callbacks into the engine
  }
  done.set_value();
}

void Engine::run(RunReport& report) {
  const auto start = Clock::now() + std::chrono::milliseconds(20);  // every thread is posted to
  start_ns_ =
      std::chrono::duration_cast<std::chrono::nanoseconds>(start.time_since_epoch()).count();
  const auto measure_from = start + config_.warmup;
  measure_from_ns_ = start_ns_ + std::chrono::nanoseconds(config_.warmup).count();
  std::optional<Clock::time_point> until;
  if (config_.duration) {
    until = measure_from + *config_.duration;
    until_ns_ = measure_from_ns_ + std::chrono::nanoseconds(*config_.duration).count();
  }
  for (std::size_t t = 0; t < pool_.size(); ++t) {
    asio::post(pool_.at(t).io, [self = shared_from_this(), t] { self->start_thread(t); });
  }
  CpuMeter meter(pool_);
  CpuMeter::Result load;
  const auto never = [] { return false; };
  bool sending_ok = true;
  if (until) {
    sending_ok = wait_until(measure_from, never, false) || errors() == 0;
    meter.start();
    if (sending_ok) sending_ok = wait_until(*until, never, false) || errors() == 0;
    load = meter.finish();
  } else {
    meter.start();
    const std::uint64_t all = sender_count_ * config_.messages_per_sender.value_or(0);
    sending_ok = wait_until(
        start + config_.send_timeout, [&] { return total(&ThreadStats::sent_total) >= all; }, true);
  }
  // Drain: lost = not received within the drain timeout after sending stopped.
  const bool drained =
      sending_ok && wait_until(
                        Clock::now() + config_.drain_timeout,
                        [&] {
                          return total(&ThreadStats::received_total) >=
                                 total(&ThreadStats::sent_total) * config_.deliveries_per_message;
                        },
                        true);
  if (!until) load = meter.finish();
  stopping_ = true;

  auto stopped = std::make_shared<std::vector<std::promise<void>>>(pool_.size());
  for (std::size_t t = 0; t < pool_.size(); ++t) {
    asio::post(pool_.at(t).io,
               [self = shared_from_this(), t, stopped] { self->stop_thread(t, (*stopped)[t]); });
  }
  bool collected = true;
  for (auto& promise : *stopped) {
    collected =
        promise.get_future().wait_for(std::chrono::seconds(10)) == std::future_status::ready &&
        collected;
  }
  if (!collected) throw std::runtime_error("a driver thread did not stop within 10 s");

  std::uint64_t sent = 0, delivered = 0, duplicates = 0, misrouted = 0, stanza_errors = 0,
                skipped = 0, sent_total = 0;
  std::int64_t first_send = 0, last_delivery = 0;
  for (const auto& stats : threads_) {
    sent += stats->sent_measured;
    delivered += stats->delivered_measured;
    duplicates += stats->duplicates;
    misrouted += stats->misrouted;
    stanza_errors += stats->stanza_errors;
    skipped += stats->send_skipped;
    sent_total += stats->sent_total.load();
    if (stats->first_send_ns != 0 && (first_send == 0 || stats->first_send_ns < first_send)) {
      first_send = stats->first_send_ns;
    }
    last_delivery = std::max(last_delivery, stats->last_delivery_ns);
    report.latency.merge(stats->latency);
  }
  const std::uint64_t expected = sent * config_.deliveries_per_message;
  report.sent = sent;
  report.delivered = delivered;
  report.lost = expected > delivered ? expected - delivered : 0;
  report.duplicates = duplicates;
  if (config_.duration) {
    report.duration_s = std::chrono::duration<double>(*config_.duration).count();
  } else {
    report.duration_s = last_delivery > first_send ? (last_delivery - first_send) / 1e9 : 0;
  }
  report.msgs_per_s =
      report.duration_s > 0 ? static_cast<double>(delivered) / report.duration_s : 0.0;
  report.driver_cpu_pct = load.cpu_pct_per_thread;
  report.driver_max_thread_busy_pct = load.max_thread_busy_pct;
  report.driver_bound = load.driver_bound;
  report.host_steal_pct = load.host_steal_pct;
  {
    std::lock_guard lock(mutex_);
    report.errors += errors_;
    if (report.first_error.empty()) report.first_error = first_error_;
  }
  if (!sending_ok && report.first_error.empty()) {
    report.errors += 1;
    report.first_error = "sending did not finish within the send timeout";
  }
  report.extra["warmup_s"] = std::chrono::duration<double>(config_.warmup).count();
  report.extra["sent_total"] = sent_total;
  report.extra["expected_deliveries"] = expected;
  report.extra["send_rate"] =
      report.duration_s > 0 ? std::round(static_cast<double>(sent) / report.duration_s) : 0.0;
  report.extra["send_skipped"] = skipped;
  report.extra["misrouted"] = misrouted;
  report.extra["bounced"] = stanza_errors;
  report.extra["drained"] = drained;
}

}  // namespace

MessageTemplate make_message_template(XmlElement message) {
  // A placeholder no escaping touches and that cannot occur in the attributes we set.
  const std::string placeholder(kBodySize, '#');
  message.add_child("body").add_text(placeholder);
  MessageTemplate out;
  out.bytes = message.serialize("jabber:client");
  const auto at = out.bytes.find(placeholder);
  if (at == std::string::npos || out.bytes.find(placeholder, at + 1) != std::string::npos) {
    throw std::logic_error("message template: body placeholder not found exactly once");
  }
  out.body_offset = at;
  encode_body({}, out.bytes.data() + at);
  return out;
}

void run_traffic(IoPool& pool, const TrafficConfig& config, std::vector<TrafficMember> members,
                 RunReport& report) {
  auto engine = std::make_shared<Engine>(pool, config, std::move(members));
  engine->run(report);
}

}  // namespace parley::bench
