#pragma once
// XmppSession: one client connection (RFC 6120 c2s stream) from TCP accept to close, and —
// with XEP-0198 resumption — the logical session that may outlive its connection.
//
// Threading: every member is touched only on the session's strand (the executor of its
// socket). A reader coroutine reads (rate-limited, 4 KiB at a time) into the StreamParser; the
// parser's callbacks negotiate and route; a writer keeps ONE async_write in flight and batches
// everything queued meanwhile into the next one (Outbox: a gather list on plain TCP, so a
// room message's shared bytes are never copied per recipient). The outbox is bounded
// (XmppConfig::outbox_high_watermark): a client that does not read is disconnected.
//
// The implementation is split by job: xmpp_session.cpp (I/O, timers, closing),
// session_negotiation.cpp (header, STARTTLS, SASL, bind), session_routing.cpp (stanzas from the
// client into the core), session_delivery.cpp (deliveries from the core to the client),
// session_resumption.cpp (XEP-0198).
#include <array>
#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "adapters/xmpp/features/session_context.hpp"
#include "adapters/xmpp/outbox.hpp"
#include "adapters/xmpp/sasl_exchange.hpp"
#include "adapters/xmpp/stream_management.hpp"
#include "adapters/xmpp/token_bucket.hpp"
#include "adapters/xmpp/wire/stream_parser.hpp"
#include "gateway/api/endpoint.hpp"
#include "mapping/xmpp/stream_error_codec.hpp"

namespace parley::xmpp {

struct ServerContext;
class SessionEndpoint;
namespace muc {
class MucParticipant;
}

enum class Transport {
  starttls,    // c2s: plain TCP, STARTTLS offered (RFC 6120 §5)
  direct_tls,  // XEP-0368: TLS handshake first
};

class XmppSession final : public std::enable_shared_from_this<XmppSession>, public SessionContext {
 public:
  using Socket = boost::asio::ip::tcp::socket;
  // TLS over a reference to the session's socket, created only when TLS starts (STARTTLS or
  // XEP-0368): an SSL object with asio's record buffers costs ~78 KB, which a plain-TCP
  // session (most benchmark and internal clients) never needs.
  using Stream = boost::asio::ssl::stream<Socket&>;
  using Clock = std::chrono::steady_clock;
  using StreamError = mapping::xmpp::StreamErrorCondition;

  // `socket` must be bound to a strand (accepted with make_strand): its executor is the
  // session's strand.
  XmppSession(std::shared_ptr<ServerContext> server, Socket socket, Transport transport);
  ~XmppSession() override;
  XmppSession(const XmppSession&) = delete;
  XmppSession& operator=(const XmppSession&) = delete;

  void start();
  // Thread-safe. Ends the session: attached ones with the stream error matching `reason`,
  // detached (XEP-0198) ones at once.
  void request_close(api::CloseReason reason);
  // Thread-safe: called by the SessionEndpoint; translation happens on the strand.
  void post_delivery(api::Delivery delivery);

  // ---- SessionContext ----
  const model::Address& full_address() const override { return full_; }
  const model::Address& user() const override { return user_; }
  const std::string& domain() const override { return domain_; }
  const std::string& session_id() const override { return session_id_; }
  bool is_tls() const override { return tls_active_; }
  void send(wire::XmlElement stanza) override;
  void send_shared(const wire::SharedStanza& stanza) override;
  void send_error(const wire::XmlElement& request, const model::StanzaError& error) override;
  Poster poster() override;
  api::Core& core() override;
  api::StoreExecutor& store() override;
  api::CpuWork& cpu_work() override;
  api::Rooms& rooms() override;
  api::MessageArchive& archive() override;
  const std::string& muc_domain() const override;
  const XmppConfig& config() const override;
  api::EndpointFlags flags() const override { return flags_; }
  void set_flags(api::EndpointFlags flags) override;

 private:
  // Negotiation stage of the current stream (RFC 6120 §4.3: restarts after TLS and SASL).
  enum class Stage { unauthenticated, authenticated, bound };
  // Life of the session.
  enum class Life {
    open,      // connected
    closing,   // we sent </stream:stream>; waiting for the peer's (bounded)
    detached,  // XEP-0198: connection lost, resumable until resume_timeout
    ended,     // finished; waiting for the last handlers to drop their references
  };
  // What XEP-0198 resumption moves from the old session to the new one.
  struct ResumeState {
    model::Address full;
    api::EndpointFlags flags;
    StreamManagement sm;
    std::string sm_id;
    std::shared_ptr<SessionEndpoint> endpoint;
    bool available = false;
    std::shared_ptr<muc::MucParticipant> muc;
  };

  // ---- I/O (xmpp_session.cpp) ----
  boost::asio::awaitable<void> read_loop(std::shared_ptr<XmppSession> self);
  void run_posted(std::function<void(SessionContext&)> work);
  // Runs a handler counted in queued_batched_; writes after the last one queued.
  template <typename Work>
  void run_batched(Work&& work);
  boost::asio::awaitable<bool> wait_for_read_budget();
  // Bytes read from the client: timestamps, read budget, wakes a resting parser, feeds it.
  void consume_read(std::string_view bytes);
  boost::asio::awaitable<void> wait_writes_drained();
  boost::asio::awaitable<bool> tls_handshake();
  void on_connection_lost(const boost::system::error_code& ec);
  void enqueue_bytes(std::string bytes);
  void flush();
  void schedule_flush();
  void on_written(const boost::system::error_code& ec);
  void close_socket();
  void schedule_tick();
  void on_tick();
  void close_stream(std::optional<StreamError> error, std::string_view text = {});
  void finish(std::string_view reason);
  bool expected_close_error(const boost::system::error_code& ec) const;

  // ---- negotiation (session_negotiation.cpp) ----
  void make_parser();
  void restart_stream();
  void on_stream_open(const wire::StreamHeader& header);
  void on_stream_closed();
  void on_parse_error(wire::ParseError error, const std::string& detail);
  void on_element(wire::XmlElement&& element);
  void send_stream_header();
  void send_features();
  void on_starttls();
  void on_sasl_auth(const wire::XmlElement& auth);
  void on_sasl_response(const wire::XmlElement& response);
  void on_sasl_abort();
  void continue_sasl(SaslExchange::Step step);
  // looked_up: nullopt when the store failed; else the account's credentials if it exists.
  void on_credentials(std::uint64_t attempt,
                      std::optional<std::optional<api::Credentials>> looked_up);
  // PLAIN: the key stretching runs on server_->cpu_work; the answer comes back here.
  void verify_plain_password(SaslExchange::VerifyPassword verify);
  void on_password_checked(std::uint64_t attempt, bool matched);
  void sasl_failed(auth::SaslFailure failure, std::string_view text = {});
  void sasl_succeeded(std::string_view additional_data);
  void on_bind(const wire::XmlElement& iq);

  // ---- stanzas from the client (session_routing.cpp) ----
  void on_stanza(wire::XmlElement&& stanza);
  void on_pre_bind_iq(const wire::XmlElement& iq);
  void route_message(wire::XmlElement&& stanza);
  void route_presence(wire::XmlElement&& stanza);
  void route_iq(wire::XmlElement&& stanza);
  void dispatch_to_feature(const wire::XmlElement& iq);
  void route_opaque(const wire::XmlElement& stanza, const model::Address& to);
  // XEP-0045: stanzas to the conference service or its rooms go to the MUC component.
  bool is_muc_address(const std::optional<model::Address>& to) const;
  muc::MucParticipant& muc_participant();
  void end_muc();
  bool stamp_and_check_to(wire::XmlElement& stanza, std::optional<model::Address>& to);

  // ---- deliveries to the client (session_delivery.cpp) ----
  void on_delivery(api::Delivery&& delivery);
  void deliver(api::MessageDelivery&& delivery);
  void deliver(api::PresenceDelivery&& delivery);
  void deliver(api::RosterPush&& push);
  void deliver(api::BlockListPush&& push);
  void deliver(api::OpaqueDelivery&& delivery);
  void deliver(api::CloseRequest&& request);
  void send_stanza(wire::XmlElement stanza, std::shared_ptr<const model::Message> message);
  // The same for a top-level element already serialized in jabber:client; `countable`: it is a
  // stanza (message, presence, iq), which XEP-0198 counts.
  void send_serialized(std::string data, bool countable,
                       std::shared_ptr<const model::Message> message);
  // XEP-0198 bookkeeping (`unacked`: the stanza's copy when counted) and the outbox bound,
  // common to both send paths. False: the stanza must not be queued.
  bool admit_outgoing(std::optional<UnackedStanza> unacked);
  void set_full_address(model::Address full);
  std::string next_push_id();

  // ---- XEP-0198 (session_resumption.cpp) ----
  void on_sm_element(const wire::XmlElement& element);
  void on_sm_enable(const wire::XmlElement& enable);
  void on_sm_resume(const wire::XmlElement& resume);
  void on_sm_ack(const wire::XmlElement& ack);
  void request_ack();
  void detach();
  void on_resume_timeout();
  void expire_detached(std::string_view reason);
  void reroute_unacked();
  void hand_over(std::weak_ptr<XmppSession> successor, std::string previd, std::uint32_t h);
  void apply_resume(ResumeState state, std::string previd, std::uint32_t h);
  void resume_failed();
  void unbind_from_core();

  std::shared_ptr<ServerContext> server_;
  Socket socket_;
  std::unique_ptr<Stream> tls_;            // after socket_: destroyed before it
  boost::asio::any_io_executor executor_;  // the strand
  Transport transport_;
  std::string session_id_;
  std::string remote_ip_;

  // stream state
  std::unique_ptr<wire::StreamParser> parser_;
  Stage stage_ = Stage::unauthenticated;
  Life life_ = Life::open;
  bool tls_active_ = false;
  bool starttls_requested_ = false;  // <proceed/> queued; handshake once the writes drained
  bool tls_handshaking_ = false;     // no writes meanwhile
  bool socket_closed_ = false;
  bool header_received_ = false;   // the client's header of the current stream
  bool header_sent_ = false;       // ours
  bool peer_closed_ = false;       // the client sent </stream:stream>
  bool clean_end_ = false;         // no XEP-0198 resumption after this connection
  bool sent_unavailable_ = false;  // unavailable presence then disconnect = clean (XEP-0198 §5)
  bool available_ = false;         // sent initial presence
  std::string domain_;
  std::string stream_id_;

  // authentication and binding
  std::optional<SaslExchange> sasl_;
  std::uint64_t sasl_attempt_ = 0;  // tags lookups and checks so a stale answer is ignored
  bool sasl_waiting_ = false;       // credentials lookup or PLAIN verification in flight
  std::size_t sasl_failures_ = 0;
  model::Address sasl_user_;  // the account the current exchange is about (may be empty)
  model::Address user_;
  model::Address full_;
  std::shared_ptr<const std::string> full_escaped_;  // 'to' of shared stanzas, escaped once
  std::string full_text_;  // full_.to_string(): the 'from' stamped on each stanza the client sends
  api::EndpointFlags flags_;
  std::shared_ptr<SessionEndpoint> endpoint_;
  std::shared_ptr<muc::MucParticipant> muc_;  // created at bind; watches for invitations
  std::uint64_t push_counter_ = 0;

  // writer
  Outbox outbox_;
  bool writing_ = false;
  bool flush_scheduled_ = false;  // a flush is posted behind the handlers already queued
  // Deliveries and posted work queued on the strand and not yet run (see run_batched()); the
  // only member touched off the strand.
  std::atomic<std::uint32_t> queued_batched_{0};
  bool batching_writes_ = false;  // inside run_batched(): schedule_flush() leaves it the write
  bool close_after_write_ = false;

  // reader
  // Small on purpose: an idle connection always has a read pending into it. When a plain TCP
  // read fills it, the rest of the burst is read at once into the io thread's large buffer.
  std::array<char, 1024> read_buffer_{};
  TokenBucket read_budget_;

  // timers
  boost::asio::steady_timer tick_timer_;    // handshake / idle deadlines and keepalive
  boost::asio::steady_timer close_timer_;   // bounded wait for the peer's </stream:stream>
  boost::asio::steady_timer drain_timer_;   // wakes the reader when the outbox drained
  boost::asio::steady_timer rate_timer_;    // read pause of the token bucket
  boost::asio::steady_timer resume_timer_;  // XEP-0198 detached lifetime
  Clock::time_point handshake_deadline_;
  Clock::time_point last_read_;
  // The parser was offered hibernation since the last read (once per quiet spell: it refuses
  // mid-stanza, and a refused offer is not repeated until more bytes arrive).
  bool parser_rested_ = false;
  bool parser_resting_ = false;  // hibernate() said yes; counted in ServerContext
  Clock::time_point last_write_;

  // XEP-0198
  StreamManagement sm_;
  bool sm_enabled_ = false;
  std::string sm_id_;  // non-empty: resumable
  bool handed_over_ = false;
  std::weak_ptr<XmppSession> successor_;
};

}  // namespace parley::xmpp
