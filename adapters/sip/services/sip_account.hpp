#pragma once
// What the SIP services know about one account: its registered devices (bindings), its
// published presence, the presence subscriptions it holds as a watcher, and its one core
// endpoint.
//
// Design (docs/sip.md): ONE core endpoint per SIP account, bound as <account>/sip while the
// account has a binding, a publication or a subscription. deliver() forks messages to every
// registered device (RFC 3428 §4 via RFC 3261 §16.7 style forking), so a message to the bare
// address reaches all devices once, and offline storage happens exactly when nothing is
// registered (the endpoint is then either unbound or not available).
//
// All of this lives on the services' strand; only AccountEndpoint::deliver is called from
// other threads (it posts).
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "adapters/sip/sip_stack.hpp"
#include "gateway/api/endpoint.hpp"
#include "mapping/model/address.hpp"
#include "mapping/model/presence.hpp"

namespace parley::sip {

using TimePoint = std::chrono::steady_clock::time_point;

// One registered device (RFC 3261 §10.3).
struct Binding {
  std::string key;  // +sip.instance when given (RFC 5626 §4.1), else the Contact URI
  NameAddr contact;
  Flow flow;
  std::string call_id;
  std::uint32_t cseq = 0;
  TimePoint expires;
};

// The account's PUBLISHed presence (RFC 3903 §6).
struct Publication {
  std::string etag;
  model::Presence presence;
  TimePoint expires;
};

// A presence subscription held by this account as a watcher (RFC 6665 notifier side).
enum class WatchState { pending, active };
struct Watch {
  std::string call_id;
  std::string local_tag;               // our To tag
  std::string remote_tag;              // the subscriber's From tag
  NameAddr subscriber;                 // the SUBSCRIBE's From (NOTIFY's To)
  NameAddr notifier;                   // the SUBSCRIBE's To without tag (NOTIFY's From)
  SipUri remote_target;                // the subscriber's Contact
  std::vector<std::string> route_set;  // Record-Route of the SUBSCRIBE (RFC 3261 §12.1.1)
  std::string event_id;                // Event: presence;id=...
  Flow flow;
  model::Address target;  // whose presence
  WatchState state = WatchState::pending;
  bool core_watch = false;  // registered with api::Core::watch_presence
  TimePoint expires;
  std::uint32_t local_cseq = 0;
  std::string last_body;  // the last NOTIFY body, to skip identical ones
};

// An IM session set up by INVITE (Lync-style m=message; RFC 3261 §12 dialog).
struct ImDialog {
  std::string call_id;
  std::string local_tag;
  std::string remote_tag;
  model::Address peer;
  TimePoint expires;  // dialogs without traffic are forgotten after a while
};

class SipServicesImpl;

// The account's core endpoint. deliver() never blocks: it counts, then posts to the strand.
class AccountEndpoint final : public api::Endpoint,
                              public std::enable_shared_from_this<AccountEndpoint> {
 public:
  AccountEndpoint(std::weak_ptr<SipServicesImpl> services, model::Address full,
                  std::size_t high_watermark)
      : services_(std::move(services)), full_(std::move(full)), high_watermark_(high_watermark) {}
  void deliver(api::Delivery delivery) override;
  const model::Address& full() const { return full_; }
  void delivered() { pending_.fetch_sub(1, std::memory_order_relaxed); }

 private:
  std::weak_ptr<SipServicesImpl> services_;
  model::Address full_;
  std::size_t high_watermark_;
  std::atomic<std::size_t> pending_{0};
};

struct SipAccount {
  model::Address bare;
  std::vector<Binding> bindings;
  std::optional<Publication> publication;
  std::map<std::string, Watch> watches;  // by dialog key (call-id + our tag)
  std::map<std::string, ImDialog> dialogs;
  // Presence of the accounts it watches: contact bare -> resource full -> last presence.
  std::map<model::Address, std::map<model::Address, model::Presence>> contacts;
  std::set<model::Address> subscribe_requests;  // XMPP users asking to see this account

  std::shared_ptr<AccountEndpoint> endpoint;  // non-null while bound
  bool announced = false;                     // sent available presence to the core
  std::optional<model::Presence> last_sent;   // what the core last got from us

  model::Address full() const;  // <bare>/sip
  bool idle() const {
    return bindings.empty() && !publication && watches.empty() && dialogs.empty();
  }
};

std::string dialog_key(std::string_view call_id, std::string_view local_tag);

}  // namespace parley::sip
