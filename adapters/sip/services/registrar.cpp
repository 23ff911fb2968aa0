#include "adapters/sip/services/registrar.hpp"

#include <algorithm>

#include "adapters/sip/services/digest_auth.hpp"
#include "adapters/sip/services/request_helpers.hpp"
#include "gateway/log/log.hpp"

namespace parley::sip {
namespace {

// RFC 5626 §4.1: the instance id identifies the device across contact changes.
std::string binding_key(const NameAddr& contact) {
  if (auto instance = find_param(contact.params, "+sip.instance"); instance && !instance->empty())
    return "instance:" + *instance;
  return "uri:" + contact.uri.to_string();
}

struct Change {
  NameAddr contact;
  std::string key;
  std::chrono::seconds expires{0};
};

}  // namespace

void Registrar::on_register(std::shared_ptr<ServerTransaction> transaction) {
  const SipMessage& request = transaction->request();
  auto to = request.to();
  if (!to) {
    transaction->respond(response_for(ctx_, request, 400, "Missing To"));
    return;
  }
  // RFC 3261 §10.3 step 3: an AOR that is not one of ours is 404.
  auto aor = local_account(to->uri, ctx_.config);
  if (!aor) {
    transaction->respond(response_for(ctx_, request, 404, "Unknown Address Of Record"));
    return;
  }
  authenticate(ctx_, transaction, AuthKind::www, *aor,
               [this, transaction](const model::Address& account) { apply(transaction, account); });
}

void Registrar::apply(const std::shared_ptr<ServerTransaction>& transaction,
                      const model::Address& account_address) {
  const SipMessage& request = transaction->request();
  const auto contacts = request.contacts();
  const auto header_expires = request.expires();
  const auto call_id = request.call_id().value_or("");
  const auto cseq = request.cseq().value_or(CSeq{}).number;
  const auto now = ctx_.now();
  const EventLimits limits{ctx_.config.registrar.min_expires, ctx_.config.registrar.max_expires,
                           ctx_.config.registrar.default_expires};
  SipAccount& account = ctx_.account(account_address);

  if (contacts.empty()) {  // §10.3 step 6: a query
    answer_bindings(*transaction, account);
    ctx_.refresh(account);
    return;
  }
  const bool wildcard =
      std::any_of(contacts.begin(), contacts.end(), [](const NameAddr& c) { return c.wildcard; });
  if (wildcard) {
    // §10.3 step 6: "*" only alone and with Expires: 0.
    if (contacts.size() != 1 || header_expires != std::optional<std::uint32_t>(0)) {
      transaction->respond(response_for(ctx_, request, 400, "Invalid Wildcard Contact"));
      return;
    }
    account.bindings.clear();
    PARLEY_LOG_INFO("sip", "", "unregistered_all", {{"account", account.bare.to_string()}});
    answer_bindings(*transaction, account);
    ctx_.refresh(account);
    return;
  }

  std::vector<Change> changes;
  for (const auto& contact : contacts) {
    std::optional<std::uint32_t> requested = header_expires;
    if (auto param = find_param(contact.params, "expires")) requested = parse_seconds(*param);
    auto choice = choose_expiry(requested, limits);
    if (choice.too_brief) {
      // §10.3 step 7 / §21.4.17: 423 with the minimum we accept.
      SipMessage response = response_for(ctx_, request, 423);
      response.add_header("Min-Expires", std::to_string(limits.min_expires.count()));
      transaction->respond(std::move(response));
      return;
    }
    changes.push_back({contact, binding_key(contact), choice.value});
  }
  // §10.3 step 7: a binding from the same Call-ID with an older or equal CSeq is out of order.
  for (const auto& change : changes) {
    for (const auto& binding : account.bindings) {
      if (binding.key == change.key && binding.call_id == call_id && cseq <= binding.cseq) {
        transaction->respond(response_for(ctx_, request, 500, "Out Of Order Registration"));
        return;
      }
    }
  }
  for (const auto& change : changes) {
    auto it = std::find_if(account.bindings.begin(), account.bindings.end(),
                           [&](const Binding& b) { return b.key == change.key; });
    if (change.expires.count() == 0) {
      if (it != account.bindings.end()) account.bindings.erase(it);
      continue;
    }
    if (it == account.bindings.end()) {
      if (account.bindings.size() >= ctx_.config.registrar.max_bindings_per_account) {
        transaction->respond(response_for(ctx_, request, 403, "Too Many Registered Devices"));
        ctx_.refresh(account);
        return;
      }
      account.bindings.push_back({});
      it = std::prev(account.bindings.end());
      it->key = change.key;
    }
    it->contact = change.contact;
    it->flow = transaction->flow();
    it->call_id = call_id;
    it->cseq = cseq;
    it->expires = now + change.expires;
  }
  PARLEY_LOG_INFO("sip", "", "registered",
                  {{"account", account.bare.to_string()},
                   {"bindings", std::to_string(account.bindings.size())},
                   {"flow", transaction->flow().to_string()}});
  answer_bindings(*transaction, account);
  // After the answer: binding the endpoint may flush offline messages to the new device.
  ctx_.refresh(account);
}

void Registrar::answer_bindings(ServerTransaction& transaction, const SipAccount& account) {
  SipMessage response = response_for(ctx_, transaction.request(), 200);
  const auto now = ctx_.now();
  for (const auto& binding : account.bindings) {
    NameAddr contact = binding.contact;
    std::erase_if(contact.params, [](const auto& p) { return iequals(p.first, "expires"); });
    const auto left = std::max<std::int64_t>(
        0, std::chrono::duration_cast<std::chrono::seconds>(binding.expires - now).count());
    contact.params.emplace_back("expires", std::to_string(left));
    response.add_header("Contact", contact.to_string());
  }
  transaction.respond(std::move(response));
}

void Registrar::sweep(TimePoint now) {
  for (auto& [bare, account] : ctx_.accounts) {
    const auto before = account->bindings.size();
    std::erase_if(account->bindings, [now](const Binding& b) { return b.expires <= now; });
    if (account->bindings.size() != before) ctx_.refresh(*account);
  }
}

void Registrar::on_flow_closed(const Flow& flow) {
  if (flow.connection_id == 0) return;
  for (auto& [bare, account] : ctx_.accounts) {
    const auto before = account->bindings.size();
    std::erase_if(account->bindings, [&](const Binding& b) { return b.flow == flow; });
    if (account->bindings.size() != before) ctx_.refresh(*account);
  }
}

}  // namespace parley::sip
