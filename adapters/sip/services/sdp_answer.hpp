#pragma once
// The little SDP (RFC 4566) an IM session needs: find the offer's media lines and answer the
// "message" ones (Lync-style IM sessions, m=message <port> sip null, and MSRP-like offers) with
// our address. Audio/video-only offers are refused by the caller with 488. The answer is built
// line by line from typed fields (RFC 4566 §5 order: v o s c t m a). Pure.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace parley::sip {

struct SdpMedia {
  std::string media;   // "message", "audio", ...
  std::string port;    // as offered
  std::string proto;   // "sip", "TCP/MSRP", "RTP/AVP", ...
  std::string format;  // first fmt ("null", "*", "0")
};

// The offer's m= lines; nullopt when it is not SDP at all (no v= line) or has no media.
std::optional<std::vector<SdpMedia>> parse_sdp_media(std::string_view sdp);

struct SdpAnswerInput {
  std::string address;  // our IP address (c= and o=)
  std::uint16_t port = 5060;
  std::string session_id;  // o= sess-id
};
// An answer accepting every "message" media line (others get port 0, RFC 3264 §6); nullopt
// when the offer has no "message" line.
std::optional<std::string> build_im_answer(const std::vector<SdpMedia>& offer,
                                           const SdpAnswerInput& input);

}  // namespace parley::sip
