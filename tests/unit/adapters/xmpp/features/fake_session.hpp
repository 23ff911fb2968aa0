#pragma once
// FakeSessionContext: the session seen by a feature handler, without sockets. It records what
// the handler sends and queues posted continuations, which the test runs explicitly (like the
// session's strand would, later).
#include <deque>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "adapters/xmpp/features/session_context.hpp"
#include "adapters/xmpp/wire/fragment_parser.hpp"
#include "tests/unit/adapters/xmpp/features/fake_rooms.hpp"

namespace parley::xmpp::test {

// Runs submitted work at once, on the calling thread (the continuation it posts still waits
// for run_posted()); with accept == false it refuses, like a full pool; with hold == true it
// keeps the work until run_held(), like a busy one.
struct FakeCpuWork : api::CpuWork {
  bool accept = true;
  bool hold = false;
  int submitted = 0;
  std::vector<std::function<void()>> held;
  bool submit(std::function<void()> work) override {
    if (!accept) return false;
    ++submitted;
    if (hold) {
      held.push_back(std::move(work));
    } else {
      work();
    }
    return true;
  }
  void run_held() {
    auto jobs = std::move(held);
    held.clear();
    for (auto& job : jobs) job();
  }
};

class FakeSessionContext : public SessionContext {
 public:
  struct ErrorReply {
    wire::XmlElement request;
    model::StanzaError error;
  };

  FakeSessionContext(api::Core& core, api::StoreExecutor& store) : core_(core), store_(store) {}

  // ---- test controls and observations ----
  model::Address full;
  model::Address bare_user;
  std::string stream_domain = "example.com";
  bool tls = true;
  XmppConfig xmpp_config;
  api::EndpointFlags endpoint_flags;
  int set_flags_calls = 0;
  std::vector<wire::XmlElement> sent;
  std::vector<ErrorReply> errors;
  FakeRooms rooms_service;
  FakeArchive archive_service;
  FakeCpuWork cpu_work_service;
  std::string muc = "conference.example.com";  // empty: no MUC service

  std::size_t replies() const { return sent.size() + errors.size(); }
  std::size_t pending_posts() const { return posted_->size(); }
  // Runs queued continuations (and any they queue) until none is left; bounded so that a
  // handler that keeps re-posting fails the test instead of hanging it.
  std::size_t run_posted(std::size_t limit = 1000) {
    std::size_t ran = 0;
    while (!posted_->empty() && ran < limit) {
      auto fn = std::move(posted_->front());
      posted_->pop_front();
      fn(*this);
      ++ran;
    }
    return ran;
  }
  // A session that went away: posted work is dropped, like the real weak-referencing poster.
  void end() { alive_.reset(); }

  // ---- SessionContext ----
  const model::Address& full_address() const override { return full; }
  const model::Address& user() const override { return bare_user; }
  const std::string& domain() const override { return stream_domain; }
  const std::string& session_id() const override { return id_; }
  bool is_tls() const override { return tls; }
  void send(wire::XmlElement stanza) override { sent.push_back(std::move(stanza)); }
  // The bytes a real session would write, parsed back: a broken split shows up here.
  void send_shared(const wire::SharedStanza& stanza) override {
    auto parsed = wire::parse_fragment(stanza.assemble(wire::escape_attribute(full.to_string())),
                                       "jabber:client");
    if (!parsed) throw std::runtime_error("send_shared: the assembled bytes do not parse");
    sent.push_back(std::move(parsed).value());
  }
  void send_error(const wire::XmlElement& request, const model::StanzaError& error) override {
    errors.push_back({request, error});
  }
  Poster poster() override {
    return [queue = std::weak_ptr<Queue>(posted_),
            alive = std::weak_ptr<bool>(alive_)](std::function<void(SessionContext&)> fn) {
      auto q = queue.lock();
      if (q && !alive.expired()) q->push_back(std::move(fn));
    };
  }
  api::Core& core() override { return core_; }
  api::StoreExecutor& store() override { return store_; }
  api::CpuWork& cpu_work() override { return cpu_work_service; }
  api::Rooms& rooms() override { return rooms_service; }
  api::MessageArchive& archive() override { return archive_service; }
  const std::string& muc_domain() const override { return muc; }
  const XmppConfig& config() const override { return xmpp_config; }
  api::EndpointFlags flags() const override { return endpoint_flags; }
  void set_flags(api::EndpointFlags flags) override {
    endpoint_flags = flags;
    ++set_flags_calls;
  }

 private:
  using Queue = std::deque<std::function<void(SessionContext&)>>;
  api::Core& core_;
  api::StoreExecutor& store_;
  std::string id_ = "test-session";
  std::shared_ptr<Queue> posted_ = std::make_shared<Queue>();
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace parley::xmpp::test
