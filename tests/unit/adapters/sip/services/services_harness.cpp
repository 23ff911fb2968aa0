#include "tests/unit/adapters/sip/services/services_harness.hpp"

namespace parley::sip::testing {

SipMessage ServicesHarness::request(const std::vector<std::string>& lines, std::string body) {
  std::string text;
  for (const auto& line : lines) text += line + "\r\n";
  text += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  auto parsed = parse_sip(text);
  EXPECT_TRUE(parsed.ok()) << (parsed.ok() ? "" : parsed.error().reason) << "\n" << text;
  return parsed.ok() ? std::move(parsed).value() : SipMessage{};
}

SipMessage ServicesHarness::with_credentials(SipMessage request, const SipMessage& challenged,
                                             std::string_view user, std::string_view password,
                                             DigestAlgorithm algorithm, std::string nc) {
  const bool www = challenged.status == 401;
  std::optional<DigestChallenge> chosen;
  for (const auto& value :
       challenged.header_values(www ? "WWW-Authenticate" : "Proxy-Authenticate")) {
    auto c = DigestChallenge::parse(value);
    if (c && c->algorithm == algorithm) chosen = c;
  }
  EXPECT_TRUE(chosen.has_value()) << "no challenge for " << algorithm_name(algorithm);
  if (!chosen) return request;
  DigestCredentials credentials;
  credentials.username = std::string(user);
  credentials.realm = chosen->realm;
  credentials.nonce = chosen->nonce;
  credentials.uri = request.request_uri.to_string();
  credentials.algorithm = algorithm;
  credentials.qop = "auth";
  credentials.nc = std::move(nc);
  credentials.cnonce = "c0ffee";
  const std::string ha1 = compute_ha1(algorithm, user, chosen->realm, password);
  credentials.response =
      compute_response(credentials, ha1, DigestInput{request.method, request.body});
  request.set_header(www ? "Authorization" : "Proxy-Authorization", credentials.to_string());
  return request;
}

SipMessage ServicesHarness::register_device(std::string_view user, std::string_view password,
                                            std::string_view contact, int expires,
                                            std::uint16_t port) {
  const std::string call = "reg-" + std::string(user) + "-" + std::to_string(port);
  const std::string cseq = std::to_string(++call_);
  auto message = request({"REGISTER sip:127.0.0.1 SIP/2.0",
                          "Via: SIP/2.0/UDP 127.0.0.1:" + std::to_string(port) + ";branch=z9hG4bK" +
                              call + cseq + ";rport",
                          "From: <sip:" + std::string(user) + "@127.0.0.1>;tag=f" + cseq,
                          "To: <sip:" + std::string(user) + "@127.0.0.1>", "Call-ID: " + call,
                          "CSeq: " + cseq + " REGISTER", "Contact: " + std::string(contact),
                          "Expires: " + std::to_string(expires)});
  auto first = send(message, udp_flow(port));
  EXPECT_EQ(first->responses.size(), 1u);
  if (first->responses.empty() || first->responses[0].status != 401) return first->responses.at(0);
  auto again = message;
  again.set_header("CSeq", std::to_string(++call_) + " REGISTER");
  auto second = send(with_credentials(again, first->responses[0], user, password), udp_flow(port));
  EXPECT_EQ(second->responses.size(), 1u);
  return second->responses.empty() ? SipMessage{} : second->responses[0];
}

SipMessage ServicesHarness::authenticated(const SipMessage& message, std::string_view user,
                                          std::string_view password, Flow flow) {
  auto first = send(message, flow);
  EXPECT_EQ(first->responses.size(), 1u);
  if (first->responses.empty()) return {};
  if (first->responses[0].status != 407) return first->responses[0];
  auto second = send(with_credentials(message, first->responses[0], user, password), flow);
  EXPECT_EQ(second->responses.size(), 1u);
  return second->responses.empty() ? SipMessage{} : second->responses[0];
}

}  // namespace parley::sip::testing
