// XEP-0191 blocking command: the block list lives in the core (it also enforces it); this
// handler translates get / block / unblock.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "adapters/xmpp/features/handlers.hpp"
#include "adapters/xmpp/features/iq_util.hpp"
#include "adapters/xmpp/features/namespaces.hpp"

namespace parley::xmpp::features {

namespace {

using model::ErrorCondition;
using model::StanzaError;

// XEP-0191 §3.3: items may be any JID form (domain, bare, full); an invalid one is
// jid-malformed.
model::Expected<std::vector<model::Address>, StanzaError> parse_items(
    const wire::XmlElement& command) {
  using Result = model::Expected<std::vector<model::Address>, StanzaError>;
  std::vector<model::Address> items;
  for (const wire::XmlElement* item : command.children("item")) {
    auto address = model::Address::parse(item->attr_or("jid"));
    if (!address) {
      return Result::failure(StanzaError::make(ErrorCondition::jid_malformed, address.error()));
    }
    items.push_back(std::move(address).value());
  }
  return items;
}

void get_block_list(SessionContext& session, const wire::XmlElement& iq) {
  // XEP-0191 §3.2: a resource that retrieved the list gets block/unblock pushes.
  auto flags = session.flags();
  if (!flags.block_list_interested) {
    flags.block_list_interested = true;
    session.set_flags(flags);
  }
  session.core().block_list(
      session.user(), [post = session.poster(), iq](std::vector<model::Address> items) {
        post([iq, items = std::move(items)](SessionContext& s) {
          wire::XmlElement result = make_result(s, iq);
          wire::XmlElement& list = result.add_child("blocklist", std::string(ns::kBlocking));
          for (const auto& address : items)
            list.add_child("item").set_attr("jid", address.to_string());
          s.send(std::move(result));
        });
      });
}

api::ErrorCallback answer(SessionContext& session, const wire::XmlElement& iq) {
  return [post = session.poster(), iq](std::optional<StanzaError> error) {
    post([iq, error = std::move(error)](SessionContext& s) {
      if (error) {
        s.send_error(iq, *error);
      } else {
        s.send(make_result(s, iq));
      }
    });
  };
}

void change_block_list(SessionContext& session, const wire::XmlElement& iq,
                       const wire::XmlElement& command) {
  auto items = parse_items(command);
  if (!items) {
    session.send_error(iq, items.error());
    return;
  }
  if (command.name() == "block") {
    // XEP-0191 §3.3: a block without items is a bad-request.
    if (items->empty()) {
      reply_error(session, iq, ErrorCondition::bad_request, "nothing to block");
      return;
    }
    session.core().block(session.user(), std::move(items).value(), answer(session, iq));
  } else {
    // XEP-0191 §3.4: an unblock without items unblocks everything.
    session.core().unblock(session.user(), std::move(items).value(), answer(session, iq));
  }
}

}  // namespace

IqHandler make_blocking_handler() {
  return [](SessionContext& session, const wire::XmlElement& iq) {
    const IqTarget target = classify_target(session, iq);
    if (!is_own_account(target) || session.user().empty()) {
      reply_target_error(session, iq, target, ErrorCondition::forbidden);
      return;
    }
    const wire::XmlElement* command = iq_payload(iq);
    const auto type = iq_type(iq);
    if (command == nullptr || !type) {
      reply_error(session, iq, ErrorCondition::bad_request);
      return;
    }
    if (*type == IqType::get && command->name() == "blocklist") {
      get_block_list(session, iq);
    } else if (*type == IqType::set &&
               (command->name() == "block" || command->name() == "unblock")) {
      change_block_list(session, iq, *command);
    } else {
      reply_error(session, iq, ErrorCondition::bad_request);
    }
  };
}

}  // namespace parley::xmpp::features
