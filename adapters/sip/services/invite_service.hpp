#pragma once
// IM sessions set up with INVITE (Lync-style: an SDP offer with m=message). We answer 200 with
// an SDP answer and keep the dialog (RFC 3261 §12) so BYE can end it; MESSAGEs inside it are
// routed like any other (by their To). Offers without a message stream (audio/video calls)
// get 488 Not Acceptable Here (RFC 3261 §21.4.26): Parley does not carry media. ACK for our 2xx
// is absorbed; CANCEL comes too late (we answer INVITE at once) and gets 200.
#include <memory>

#include "adapters/sip/services/services_context.hpp"

namespace parley::sip {

class InviteService {
 public:
  explicit InviteService(ServicesContext& ctx) : ctx_(ctx) {}

  void on_invite(std::shared_ptr<ServerTransaction> transaction);
  void on_bye(std::shared_ptr<ServerTransaction> transaction);
  void sweep(TimePoint now);

 private:
  void accept(const std::shared_ptr<ServerTransaction>& transaction, const model::Address& caller,
              const model::Address& callee);

  ServicesContext& ctx_;
};

}  // namespace parley::sip
