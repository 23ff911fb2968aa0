// Malformed input never crashes and yields a ParseError with a reason (RFC 3261 §21.4.1); a
// request gets an answer echoing what a client needs to match it. Includes truncation of every
// prefix of a valid message and deterministic random garbage.
#include <gtest/gtest.h>

#include <random>

#include "adapters/sip/wire/error_response.hpp"
#include "adapters/sip/wire/sip_message.hpp"

namespace parley::sip {
namespace {

constexpr std::string_view kValid =
    "MESSAGE sip:alice@example.com SIP/2.0\r\n"
    "Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1;rport\r\n"
    "From: <sip:bob@example.com>;tag=1\r\n"
    "To: <sip:alice@example.com>\r\n"
    "Call-ID: abc\r\n"
    "CSeq: 1 MESSAGE\r\n"
    "Content-Type: text/plain\r\n"
    "Content-Length: 5\r\n"
    "\r\n"
    "hello";

std::string without_line(std::string_view prefix) {
  std::string text(kValid);
  auto at = text.find(prefix);
  auto end = text.find("\r\n", at);
  text.erase(at, end + 2 - at);
  return text;
}

struct BadCase {
  std::string name;
  std::string text;
  int status;
};

TEST(SipBadInput, RejectsEachMissingOrBrokenPart) {
  std::string cseq_mismatch(kValid);
  cseq_mismatch.replace(cseq_mismatch.find("1 MESSAGE"), 9, "1 INVITE");
  std::string long_length(kValid);
  long_length.replace(long_length.find("Length: 5"), 9, "Length: 50");
  std::string bad_length(kValid);
  bad_length.replace(bad_length.find("Length: 5"), 9, "Length: x5");
  std::string bad_version(kValid);
  bad_version.replace(bad_version.find("SIP/2.0\r\n"), 7, "SIP/3.0");
  std::string tel(kValid);
  tel.replace(tel.find("sip:alice@example.com SIP"), 21, "tel:+15551234");
  std::string bad_cseq(kValid);
  bad_cseq.replace(bad_cseq.find("1 MESSAGE"), 9, "x MESSAGE");
  std::vector<BadCase> cases{
      {"no Via", without_line("Via:"), 400},
      {"no From", without_line("From:"), 400},
      {"no To", without_line("To:"), 400},
      {"no Call-ID", without_line("Call-ID:"), 400},
      {"no CSeq", without_line("CSeq:"), 400},
      {"CSeq method mismatch", cseq_mismatch, 400},
      {"CSeq not a number", bad_cseq, 400},
      {"Content-Length beyond data", long_length, 400},
      {"Content-Length not a number", bad_length, 400},
      {"version", bad_version, 505},
      {"tel Request-URI", tel, 416},
      {"empty", "", 400},
      {"only CRLF", "\r\n\r\n", 400},
      {"garbage", "hello world", 400},
      {"NUL in header", std::string("OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h\0x\r\n\r\n", 44),
       400},
  };
  for (const auto& c : cases) {
    auto parsed = parse_sip(c.text);
    ASSERT_FALSE(parsed.ok()) << c.name;
    EXPECT_EQ(parsed.error().status, c.status) << c.name;
    EXPECT_FALSE(parsed.error().reason.empty()) << c.name;
  }
}

TEST(SipBadInput, ErrorResponseEchoesTransactionHeaders) {
  std::string text = without_line("Call-ID:");
  auto parsed = parse_sip(text);
  ASSERT_FALSE(parsed.ok());
  auto response = make_error_response(text, parsed.error());
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 400);
  EXPECT_EQ(response->reason, parsed.error().reason);
  EXPECT_EQ(response->header("Via"),
            std::optional<std::string>("SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1;rport"));
  EXPECT_EQ(response->header("CSeq"), std::optional<std::string>("1 MESSAGE"));
  EXPECT_TRUE(response->header("Warning"));
  // The answer itself is a well-formed message apart from what the request lacked.
  std::string wire = serialize(*response);
  EXPECT_TRUE(wire.starts_with("SIP/2.0 400 "));
}

TEST(SipBadInput, NoAnswerForResponsesAcksOrNonSip) {
  ParseError error{400, "x"};
  EXPECT_FALSE(make_error_response("SIP/2.0 200 OK\r\nVia: x\r\n\r\n", error));
  EXPECT_FALSE(make_error_response("ACK sip:a@b SIP/2.0\r\nVia: x\r\n\r\n", error));
  EXPECT_FALSE(make_error_response("GET / HTTP/1.1\r\n\r\n", error));
  EXPECT_FALSE(make_error_response("", error));
  EXPECT_TRUE(make_error_response("FOO sip:a@b SIP/2.0\r\n\r\n", error));
}

TEST(SipBadInput, EveryTruncationIsHandled) {
  for (std::size_t n = 0; n < kValid.size(); ++n) {
    auto parsed = parse_sip(kValid.substr(0, n));
    if (parsed.ok()) {
      // Only a cut inside the body can still parse (as a datagram without that part), and
      // then Content-Length must have been honoured: impossible here, so it must fail.
      ADD_FAILURE() << "prefix of " << n << " bytes parsed";
    }
    (void)make_error_response(kValid.substr(0, n), ParseError{});
  }
  EXPECT_TRUE(parse_sip(kValid).ok());
}

TEST(SipBadInput, RandomGarbageAndMutationsNeverCrash) {
  std::mt19937 rng(7);  // deterministic
  std::uniform_int_distribution<int> byte(0, 255);
  for (int round = 0; round < 3000; ++round) {
    std::string text(kValid);
    const int edits = 1 + round % 8;
    for (int e = 0; e < edits; ++e) {
      std::size_t at = static_cast<std::size_t>(rng()) % text.size();
      switch (rng() % 3) {
        case 0:
          text[at] = static_cast<char>(byte(rng));
          break;
        case 1:
          text.erase(at, 1 + rng() % 5);
          break;
        default:
          text.insert(at, 1, static_cast<char>(byte(rng)));
      }
      if (text.empty()) text = "x";
    }
    auto parsed = parse_sip(text);
    if (parsed.ok()) {
      // Whatever parsed must serialize and parse again.
      auto again = parse_sip(serialize(*parsed));
      EXPECT_TRUE(again.ok()) << text << "\n---\n"
                              << serialize(*parsed) << "\n---\n"
                              << (again.ok() ? "" : again.error().reason);
    } else {
      (void)make_error_response(text, parsed.error());
    }
  }
  for (int round = 0; round < 500; ++round) {
    std::string text(static_cast<std::size_t>(rng() % 300), '\0');
    for (char& c : text) c = static_cast<char>(byte(rng));
    auto parsed = parse_sip(text);
    if (!parsed.ok()) (void)make_error_response(text, parsed.error());
  }
}

}  // namespace
}  // namespace parley::sip
