#pragma once
// The message engine shared by the one2one, fanout and echo scenarios. Every sender owns a
// pre-serialized message (a MessageTemplate) whose body is a fixed-width BodyStamp patched in
// place per send; receivers decode the stamp from the parsed <body/>, drop duplicates, record
// latency and credit the sender, whose window then reopens. Flow control is either a window
// (messages not yet received) or an offered rate, paced by one timer per driver thread.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "adapters/xmpp/wire/xml_element.hpp"
#include "bench/io_pool.hpp"
#include "bench/run_report.hpp"
#include "bench/xmpp_connection.hpp"

namespace parley::bench {

// A serialized message with a kBodySize placeholder body at body_offset.
struct MessageTemplate {
  std::string bytes;
  std::size_t body_offset = 0;
};
// `message` must not have a <body/>: one is added. Serialized once with the normal escaping
// serializer; only the digits of the body change afterwards.
MessageTemplate make_message_template(xmpp::wire::XmlElement message);

struct TrafficConfig {
  std::optional<std::uint64_t> window;               // per sender: sent and not yet credited
  std::optional<double> rate;                        // total offered msgs/s over all senders
  std::optional<std::uint64_t> messages_per_sender;  // stop after M (fanout)
  std::chrono::milliseconds warmup{0};
  std::optional<std::chrono::milliseconds> duration;  // measured sending time
  std::uint64_t deliveries_per_message = 1;           // fanout: the occupants
  bool credit_own_echo_only = false;  // fanout: the window opens on the sender's own echo
  bool ignore_delayed = false;        // fanout: history (XEP-0203 delay) is not live traffic
  std::chrono::milliseconds send_timeout{600000};  // bound on sending M messages
  std::chrono::milliseconds drain_timeout{10000};
};

struct TrafficMember {
  std::shared_ptr<XmppConnection> connection;
  std::size_t thread = 0;
  std::optional<MessageTemplate> message;  // nullopt: receives only
  std::uint32_t expected_sender = 0;       // one2one/echo: whose messages it should get
  bool any_sender = false;                 // fanout: every poster's
};

// Runs the traffic on the pool's threads, blocking the calling thread until the run and the
// drain are over, and fills the report's counters, latency and driver load.
void run_traffic(IoPool& pool, const TrafficConfig& config, std::vector<TrafficMember> members,
                 RunReport& report);

}  // namespace parley::bench
