#include "adapters/xmpp/stream_elements.hpp"

#include <charconv>
#include <optional>

#include "gateway/auth/scram.hpp"

namespace parley::xmpp {

std::vector<std::string> offered_mechanisms(const FeatureOffer& offer) {
  std::vector<std::string> out{"SCRAM-SHA-256", "SCRAM-SHA-1"};
  // RFC 6120 §13.8: PLAIN only over a protected stream.
  if (offer.allow_plain && offer.tls_active) out.emplace_back("PLAIN");
  return out;
}

wire::XmlElement make_stream_features(const FeatureOffer& offer) {
  wire::XmlElement features("features", std::string(xmlns::kStreams));
  if (!offer.authenticated) {
    if (offer.starttls_possible && !offer.tls_active) {
      auto& starttls = features.add_child("starttls", std::string(xmlns::kTls));
      if (offer.require_starttls) {
        // RFC 6120 §5.3.1: mandatory-to-negotiate; then it is the only feature offered.
        starttls.add_child("required", std::string(xmlns::kTls));
        return features;
      }
    }
    auto& mechanisms = features.add_child("mechanisms", std::string(xmlns::kSasl));
    for (const auto& name : offered_mechanisms(offer)) {
      mechanisms.add_child("mechanism", std::string(xmlns::kSasl)).set_text(name);
    }
    if (offer.registration_enabled) {
      features.add_child("register", std::string(xmlns::kRegisterFeature));
    }
    return features;
  }
  features.add_child("bind", std::string(xmlns::kBind));
  // RFC 6121 Appendix E / draft-cridland-xmpp-session: the legacy session IQ is optional.
  features.add_child("session", std::string(xmlns::kSession))
      .add_child("optional", std::string(xmlns::kSession));
  features.add_child("sm", std::string(xmlns::kSm));
  features.add_child("ver", std::string(xmlns::kRosterVer));
  features.add_child("sub", std::string(xmlns::kPreApproval));
  return features;
}

wire::XmlElement make_empty(std::string_view name, std::string_view ns) {
  return wire::XmlElement(std::string(name), std::string(ns));
}

wire::XmlElement make_sasl_failure(std::string_view condition, std::string_view text) {
  wire::XmlElement failure("failure", std::string(xmlns::kSasl));
  failure.add_child(std::string(condition), std::string(xmlns::kSasl));
  if (!text.empty())
    failure.add_child("text", std::string(xmlns::kSasl)).set_text(std::string(text));
  return failure;
}

wire::XmlElement make_sasl_data(std::string_view name, std::string_view raw_data) {
  wire::XmlElement element(std::string(name), std::string(xmlns::kSasl));
  if (!raw_data.empty()) element.set_text(auth::base64_encode(raw_data));
  return element;
}

wire::XmlElement make_bind_result(std::string_view iq_id, std::string_view full_jid) {
  wire::XmlElement iq("iq", std::string(xmlns::kClient));
  iq.set_attr("type", "result");
  iq.set_attr("id", std::string(iq_id));
  iq.add_child("bind", std::string(xmlns::kBind))
      .add_child("jid", std::string(xmlns::kBind))
      .set_text(std::string(full_jid));
  return iq;
}

wire::XmlElement make_iq_result(const wire::XmlElement& request) {
  wire::XmlElement iq("iq", std::string(xmlns::kClient));
  iq.set_attr("type", "result");
  if (auto id = request.attr("id")) iq.set_attr("id", std::string(*id));
  if (auto from = request.attr("from")) iq.set_attr("to", std::string(*from));
  if (auto to = request.attr("to")) iq.set_attr("from", std::string(*to));
  return iq;
}

wire::XmlElement make_sm_enabled(std::string_view id, bool resume, std::uint32_t max_seconds) {
  wire::XmlElement enabled("enabled", std::string(xmlns::kSm));
  if (resume) {
    enabled.set_attr("id", std::string(id));
    enabled.set_attr("resume", "true");
    enabled.set_attr("max", std::to_string(max_seconds));
  }
  return enabled;
}

wire::XmlElement make_sm_resumed(std::string_view previd, std::uint32_t h) {
  wire::XmlElement resumed("resumed", std::string(xmlns::kSm));
  resumed.set_attr("previd", std::string(previd));
  resumed.set_attr("h", std::to_string(h));
  return resumed;
}

wire::XmlElement make_sm_failed(std::string_view condition, std::optional<std::uint32_t> h) {
  wire::XmlElement failed("failed", std::string(xmlns::kSm));
  if (h) failed.set_attr("h", std::to_string(*h));
  failed.add_child(std::string(condition), std::string(xmlns::kStanzas));
  return failed;
}

wire::XmlElement make_sm_ack(std::uint32_t h) {
  wire::XmlElement a("a", std::string(xmlns::kSm));
  a.set_attr("h", std::to_string(h));
  return a;
}

std::optional<std::uint32_t> parse_sm_h(const wire::XmlElement& element) {
  auto text = element.attr("h");
  if (!text || text->empty()) return std::nullopt;
  std::uint32_t value = 0;
  const char* end = text->data() + text->size();
  auto [ptr, ec] = std::from_chars(text->data(), end, value);
  if (ec != std::errc{} || ptr != end) return std::nullopt;
  return value;
}

wire::XmlElement make_block_push(const api::BlockListPush& push, std::string_view to,
                                 std::string_view id) {
  wire::XmlElement iq("iq", std::string(xmlns::kClient));
  iq.set_attr("type", "set");
  iq.set_attr("id", std::string(id));
  iq.set_attr("to", std::string(to));
  auto& payload = iq.add_child(push.blocked ? "block" : "unblock", std::string(xmlns::kBlocking));
  for (const auto& item : push.items) {
    payload.add_child("item", std::string(xmlns::kBlocking)).set_attr("jid", item.to_string());
  }
  return iq;
}

}  // namespace parley::xmpp
