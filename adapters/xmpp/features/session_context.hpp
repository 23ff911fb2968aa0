#pragma once
// SessionContext: what a feature handler (one XEP or RFC section per file) may use of the
// session that received the stanza. Handlers run on the session's strand; anything that
// completes elsewhere (core or store callbacks) must come back through poster().
#include <functional>
#include <string>

#include "adapters/xmpp/wire/shared_stanza.hpp"
#include "adapters/xmpp/wire/xml_element.hpp"
#include "adapters/xmpp/xmpp_config.hpp"
#include "gateway/api/core.hpp"
#include "gateway/api/cpu_work.hpp"
#include "gateway/api/message_archive.hpp"
#include "gateway/api/rooms.hpp"
#include "gateway/api/store_executor.hpp"
#include "mapping/model/address.hpp"
#include "mapping/model/stanza_error.hpp"

namespace parley::xmpp {

class SessionContext {
 public:
  virtual ~SessionContext() = default;

  // The bound full address; empty before resource binding.
  virtual const model::Address& full_address() const = 0;
  // The authenticated bare address; empty before SASL success.
  virtual const model::Address& user() const = 0;
  virtual const std::string& domain() const = 0;  // the stream's domain ('to' of the header)
  virtual const std::string& session_id() const = 0;
  virtual bool is_tls() const = 0;

  // Queues a stanza for the client (counted for XEP-0198 when it is a stanza).
  virtual void send(wire::XmlElement stanza) = 0;
  // Queues a stanza serialized once for many recipients (XEP-0045 groupchat fan-out), with
  // this session's full address as 'to'. The shared bytes are written as they are.
  virtual void send_shared(const wire::SharedStanza& stanza) = 0;
  // Sends an IQ error reply for `request` (RFC 6120 §8.3: swaps to/from, keeps id).
  virtual void send_error(const wire::XmlElement& request, const model::StanzaError& error) = 0;
  // A thread-safe handle that runs work on this session's strand while the session is alive
  // (it holds only a weak reference). Callbacks from the core or the store capture a Poster,
  // never the SessionContext& itself:
  //   ctx.core().roster_get(ctx.user(), [post = ctx.poster(), iq](auto snap) {
  //     post([iq, snap = std::move(snap)](SessionContext& s) { s.send(...); }); });
  using Poster = std::function<void(std::function<void(SessionContext&)>)>;
  virtual Poster poster() = 0;

  virtual api::Core& core() = 0;
  virtual api::StoreExecutor& store() = 0;
  virtual api::CpuWork& cpu_work() = 0;               // key stretching, off the io threads
  virtual api::Rooms& rooms() = 0;                    // the persistent rooms service
  virtual api::MessageArchive& archive() = 0;         // 1:1 message archives (XEP-0313)
  virtual const std::string& muc_domain() const = 0;  // e.g. "conference.localhost"
  virtual const XmppConfig& config() const = 0;

  // XEP-0280 / RFC 6121 §2.1.6 / XEP-0191 switches, forwarded to the core.
  virtual api::EndpointFlags flags() const = 0;
  virtual void set_flags(api::EndpointFlags flags) = 0;
};

// An IQ handler: gets an <iq/> of type get or set whose first child matched its namespace.
// It must answer exactly once (result or error), possibly later via poster().
using IqHandler = std::function<void(SessionContext& session, const wire::XmlElement& iq)>;

}  // namespace parley::xmpp
