// parse_sip / serialize / make_response: requests, responses, compact headers, several Vias,
// folding, typed views, escaping on output.
#include <gtest/gtest.h>

#include "adapters/sip/wire/sip_message.hpp"

namespace parley::sip {
namespace {

constexpr std::string_view kRegister =
    "REGISTER sip:example.com SIP/2.0\r\n"
    "Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK776asdhds;rport\r\n"
    "Max-Forwards: 70\r\n"
    "To: Bob <sip:bob@example.com>\r\n"
    "From: \"Bob \\\"B\\\"\" <sip:bob@example.com>;tag=456248\r\n"
    "Call-ID: 843817637684230@998sdasdh09\r\n"
    "CSeq: 1826 REGISTER\r\n"
    "Contact: <sip:bob@192.0.2.4;transport=tcp>;expires=7200, <sip:bob@[2001:db8::1]:5070>\r\n"
    "Expires: 3600\r\n"
    "Content-Length: 0\r\n"
    "\r\n";

SipMessage parse_ok(std::string_view text) {
  auto parsed = parse_sip(text);
  EXPECT_TRUE(parsed.ok()) << (parsed.ok() ? "" : parsed.error().reason);
  return parsed.ok() ? *parsed : SipMessage{};
}

TEST(SipMessage, ParsesARequest) {
  SipMessage m = parse_ok(kRegister);
  EXPECT_TRUE(m.is_request);
  EXPECT_EQ(m.method, "REGISTER");
  EXPECT_EQ(m.request_uri.host, "example.com");
  EXPECT_EQ(m.request_uri.user, "");
  auto vias = m.vias();
  ASSERT_EQ(vias.size(), 1u);
  EXPECT_EQ(vias[0].transport, "UDP");
  EXPECT_EQ(vias[0].host, "10.0.0.1");
  EXPECT_EQ(vias[0].port, 5060);
  EXPECT_EQ(vias[0].branch(), "z9hG4bK776asdhds");
  EXPECT_EQ(find_param(vias[0].params, "rport"), std::optional<std::string>(""));
  auto from = m.from();
  ASSERT_TRUE(from);
  EXPECT_EQ(from->display, "Bob \"B\"");
  EXPECT_EQ(from->uri.user, "bob");
  EXPECT_EQ(find_param(from->params, "tag"), std::optional<std::string>("456248"));
  EXPECT_EQ(m.call_id(), std::optional<std::string>("843817637684230@998sdasdh09"));
  auto cseq = m.cseq();
  ASSERT_TRUE(cseq);
  EXPECT_EQ(cseq->number, 1826u);
  EXPECT_EQ(cseq->method, "REGISTER");
  auto contacts = m.contacts();
  ASSERT_EQ(contacts.size(), 2u);
  EXPECT_EQ(find_param(contacts[0].uri.params, "transport"), std::optional<std::string>("tcp"));
  EXPECT_EQ(find_param(contacts[0].params, "expires"), std::optional<std::string>("7200"));
  EXPECT_EQ(contacts[1].uri.host, "[2001:db8::1]");
  EXPECT_EQ(contacts[1].uri.port, 5070);
  EXPECT_EQ(m.expires(), std::optional<std::uint32_t>(3600));
  EXPECT_EQ(m.header("max-forwards"), std::optional<std::string>("70"));
  EXPECT_TRUE(m.body.empty());
}

TEST(SipMessage, CompactFormsAreExpanded) {
  SipMessage m = parse_ok(
      "MESSAGE sip:alice@example.com SIP/2.0\r\n"
      "v: SIP/2.0/TCP client.example.com:5061;branch=z9hG4bK1\r\n"
      "f: <sip:bob@example.com>;tag=1\r\n"
      "t: sip:alice@example.com\r\n"
      "i: abc\r\n"
      "CSeq: 2 MESSAGE\r\n"
      "c: text/plain;charset=UTF-8\r\n"
      "k: path\r\n"
      "o: presence\r\n"
      "l: 5\r\n"
      "\r\n"
      "hello");
  EXPECT_EQ(m.header("Call-ID"), std::optional<std::string>("abc"));
  EXPECT_EQ(m.header("i"), std::optional<std::string>("abc"));
  EXPECT_EQ(m.header("Supported"), std::optional<std::string>("path"));
  EXPECT_EQ(m.header("Event"), std::optional<std::string>("presence"));
  EXPECT_EQ(m.content_type(), std::optional<std::string>("text/plain"));
  EXPECT_EQ(m.body, "hello");
  EXPECT_EQ(m.to()->uri.user, "alice");
  bool saw_long_names = false;
  for (const auto& [name, value] : m.headers) {
    EXPECT_NE(name.size(), 1u) << name;
    if (name == "Via") saw_long_names = true;
  }
  EXPECT_TRUE(saw_long_names);
}

TEST(SipMessage, SeveralViasInOrderAcrossLinesAndCommas) {
  SipMessage m = parse_ok(
      "OPTIONS sip:x@example.com SIP/2.0\r\n"
      "Via: SIP/2.0/UDP a.example.com;branch=z9hG4bKa, SIP/2.0/TCP "
      "b.example.com:5070;branch=z9hG4bKb\r\n"
      "Via: SIP/2.0/TLS [::1]:5061;branch=z9hG4bKc;received=10.0.0.9\r\n"
      "From: <sip:y@example.com>;tag=t\r\nTo: <sip:x@example.com>\r\nCall-ID: c\r\n"
      "CSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n");
  auto vias = m.vias();
  ASSERT_EQ(vias.size(), 3u);
  EXPECT_EQ(vias[0].branch(), "z9hG4bKa");
  EXPECT_EQ(vias[1].transport, "TCP");
  EXPECT_EQ(vias[1].port, 5070);
  EXPECT_EQ(vias[2].host, "[::1]");
  EXPECT_EQ(find_param(vias[2].params, "received"), std::optional<std::string>("10.0.0.9"));
}

TEST(SipMessage, FoldedHeaderLinesAreJoined) {
  SipMessage m = parse_ok(
      "OPTIONS sip:x@example.com SIP/2.0\r\n"
      "Via: SIP/2.0/UDP a.example.com;branch=z9hG4bKa\r\n"
      "Subject: I know you're there,\r\n"
      "  pick up the phone\r\n"
      "From: <sip:y@example.com>;tag=t\r\nTo: <sip:x@example.com>\r\nCall-ID: c\r\n"
      "CSeq: 1 OPTIONS\r\n\r\n");
  auto subject = m.header("Subject");
  ASSERT_TRUE(subject);
  EXPECT_NE(subject->find("there,"), std::string::npos);
  EXPECT_NE(subject->find("pick up the phone"), std::string::npos);
  EXPECT_EQ(subject->find('\n'), std::string::npos);
}

TEST(SipMessage, ParsesAResponse) {
  SipMessage m = parse_ok(
      "SIP/2.0 401 Unauthorized\r\n"
      "Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1\r\n"
      "From: <sip:bob@example.com>;tag=1\r\nTo: <sip:bob@example.com>;tag=2\r\nCall-ID: c\r\n"
      "CSeq: 1 REGISTER\r\n"
      "WWW-Authenticate: Digest realm=\"example.com\", nonce=\"abc\", algorithm=MD5, "
      "qop=\"auth\"\r\n"
      "Content-Length: 0\r\n\r\n");
  EXPECT_FALSE(m.is_request);
  EXPECT_EQ(m.status, 401);
  EXPECT_EQ(m.reason, "Unauthorized");
  auto challenge = m.header("WWW-Authenticate");
  ASSERT_TRUE(challenge);
  EXPECT_NE(challenge->find("nonce=\"abc\""), std::string::npos);
}

TEST(SipMessage, BodyIsExactlyContentLengthAndNotSplitForMultipart) {
  std::string body = "--b\r\nContent-Type: text/plain\r\n\r\nx\r\n--b--\r\n";
  std::string text =
      "MESSAGE sip:a@example.com SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\n"
      "From: <sip:b@example.com>;tag=1\r\nTo: <sip:a@example.com>\r\nCall-ID: c\r\n"
      "CSeq: 1 MESSAGE\r\nContent-Type: multipart/mixed;boundary=b\r\nContent-Length: " +
      std::to_string(body.size()) + "\r\n\r\n" + body + "trailing";
  SipMessage m = parse_ok(text);
  EXPECT_EQ(m.body, body);
  EXPECT_EQ(m.header("Content-Length"), std::optional<std::string>(std::to_string(body.size())));
}

TEST(SipMessage, DatagramWithoutContentLengthTakesTheRest) {
  SipMessage m = parse_ok(
      "MESSAGE sip:a@example.com SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\n"
      "From: <sip:b@example.com>;tag=1\r\nTo: <sip:a@example.com>\r\nCall-ID: c\r\n"
      "CSeq: 1 MESSAGE\r\nContent-Type: text/plain\r\n\r\nhi there");
  EXPECT_EQ(m.body, "hi there");
}

TEST(SipMessage, SerializeRoundTrips) {
  SipMessage m = parse_ok(kRegister);
  m.body = "x";
  std::string text = serialize(m);
  EXPECT_NE(text.find("Content-Length: 1\r\n\r\nx"), std::string::npos);
  EXPECT_EQ(text.find("Content-Length: 0"), std::string::npos);
  SipMessage again = parse_ok(text);
  EXPECT_EQ(again.method, m.method);
  EXPECT_EQ(again.request_uri, m.request_uri);
  EXPECT_EQ(again.vias().size(), 1u);
  EXPECT_EQ(again.contacts().size(), 2u);
  EXPECT_EQ(again.from()->display, "Bob \"B\"");
  EXPECT_EQ(again.body, "x");
  EXPECT_EQ(serialize(again), text);
}

TEST(SipMessage, SerializeNeutralisesHeaderInjection) {
  SipMessage m;
  m.is_request = false;
  m.status = 200;
  m.add_header("Subject", "a\r\nInjected: yes");
  std::string text = serialize(m);
  EXPECT_EQ(text.find("\r\nInjected"), std::string::npos);
  EXPECT_TRUE(text.starts_with("SIP/2.0 200 OK\r\n"));
}

TEST(SipMessage, UriEscapingRoundTrips) {
  SipUri uri;
  uri.user = "al ice@home";
  uri.host = "example.com";
  uri.port = 5062;
  uri.params = {{"transport", "tcp"}, {"lr", ""}};
  std::string text = uri.to_string();
  EXPECT_EQ(text, "sip:al%20ice%40home@example.com:5062;transport=tcp;lr");
  auto back = SipUri::parse(text);
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, uri);
  EXPECT_FALSE(SipUri::parse("mailto:x@example.com"));
  EXPECT_FALSE(SipUri::parse("sip:x@example.com:99999"));
  EXPECT_FALSE(SipUri::parse(""));
}

TEST(SipMessage, NameAddrForms) {
  auto bare = NameAddr::parse("sip:bob@example.com;tag=9");
  ASSERT_TRUE(bare);
  EXPECT_EQ(find_param(bare->params, "tag"), std::optional<std::string>("9"));
  auto star = NameAddr::parse(" * ");
  ASSERT_TRUE(star);
  EXPECT_TRUE(star->wildcard);
  EXPECT_EQ(star->to_string(), "*");
  NameAddr contact;
  contact.uri = *SipUri::parse("sip:bob@192.0.2.4;transport=tcp");
  contact.params = {{"+sip.instance", "<urn:uuid:00000000-0000-1000-8000-000A95A0E128>"},
                    {"expires", "60"}};
  std::string text = contact.to_string();
  auto back = NameAddr::parse(text);
  ASSERT_TRUE(back) << text;
  EXPECT_EQ(back->uri, contact.uri);
  EXPECT_EQ(find_param(back->params, "expires"), std::optional<std::string>("60"));
}

TEST(SipMessage, MakeResponseCopiesTheTransactionHeaders) {
  SipMessage request = parse_ok(
      "INVITE sip:a@example.com SIP/2.0\r\n"
      "Via: SIP/2.0/UDP h1;branch=z9hG4bK1;received=10.1.1.1\r\n"
      "Via: SIP/2.0/UDP h2;branch=z9hG4bK2\r\n"
      "From: <sip:b@example.com>;tag=1\r\nTo: <sip:a@example.com>\r\nCall-ID: c\r\n"
      "CSeq: 7 INVITE\r\nTimestamp: 54\r\nContent-Length: 0\r\n\r\n");
  SipMessage trying = make_response(request, 100);
  EXPECT_EQ(trying.reason, "Trying");
  EXPECT_EQ(trying.header("Timestamp"), std::optional<std::string>("54"));
  SipMessage ok = make_response(request, 404, "", "xyz");
  EXPECT_FALSE(ok.is_request);
  EXPECT_EQ(ok.reason, "Not Found");
  EXPECT_EQ(ok.header_values("Via").size(), 2u);
  EXPECT_EQ(ok.vias()[0].branch(), "z9hG4bK1");
  EXPECT_EQ(find_param(ok.to()->params, "tag"), std::optional<std::string>("xyz"));
  EXPECT_EQ(ok.header("CSeq"), request.header("CSeq"));
  EXPECT_FALSE(ok.header("Timestamp"));
  auto reparsed = parse_sip(serialize(ok));
  ASSERT_TRUE(reparsed.ok());
  EXPECT_EQ(reparsed->status, 404);
}

TEST(SipMessage, HeaderEditing) {
  SipMessage m;
  m.add_header("v", "SIP/2.0/UDP a;branch=z9hG4bK1");
  m.prepend_header("Via", "SIP/2.0/UDP b;branch=z9hG4bK2");
  EXPECT_EQ(m.vias().front().host, "b");
  m.set_header("Expires", "10");
  m.set_header("expires", "20");
  EXPECT_EQ(m.header_values("EXPIRES").size(), 1u);
  EXPECT_EQ(m.expires(), std::optional<std::uint32_t>(20));
  m.remove_header("via");
  EXPECT_TRUE(m.vias().empty());
  EXPECT_EQ(reason_phrase(999), "");
  EXPECT_TRUE(iequals("Call-ID", "call-id"));
  EXPECT_FALSE(iequals("Call-ID", "call-i"));
}

}  // namespace
}  // namespace parley::sip
