#pragma once
// Shared steps of the SIP presence scenarios: SUBSCRIBE (RFC 3856, RFC 6665), PUBLISH (RFC 3903)
// and PIDF documents (RFC 3863 + RFC 4480 RPID), written out here rather than with Parley's own
// mapping code so the tests check the daemon against the RFC text, not against itself.
#include <chrono>
#include <string>

#include "tests/integration/support/sip_helpers.hpp"
#include "tests/integration/support/xmpp_helpers.hpp"

namespace parley::it {

// Presence within a second is the requirement (issue 7); waits use a longer bound so a slow
// run fails with a measured latency instead of a timeout.
inline constexpr std::chrono::milliseconds kPresenceLatency{1000};

// The daemon configuration with a presence authorization policy ("roster" or "organisation").
inline nlohmann::json presence_daemon_config(const std::string& policy) {
  return sip_daemon_config({{"presence", {{"policy", policy}}}});
}

inline SipMsg subscribe_request(SipClient& watcher, const std::string& presentity_aor,
                                int expires = 600) {
  SipMsg s = watcher.request("SUBSCRIBE", presentity_aor, presentity_aor);
  s.set("Event", "presence");
  s.set("Accept", "application/pidf+xml");
  s.set("Expires", std::to_string(expires));
  return s;
}

// A PIDF document: basic open/closed, an optional RPID activity and note.
inline std::string pidf(const std::string& entity, bool open, const std::string& activity = {},
                        const std::string& note = {}) {
  std::string doc =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<presence xmlns=\"urn:ietf:params:xml:ns:pidf\" "
      "xmlns:dm=\"urn:ietf:params:xml:ns:pidf:data-model\" "
      "xmlns:rpid=\"urn:ietf:params:xml:ns:pidf:rpid\" entity=\"" +
      entity + "\">\n<tuple id=\"t1\"><status><basic>" + (open ? "open" : "closed") +
      "</basic></status></tuple>\n";
  if (!activity.empty() || !note.empty()) {
    doc += "<dm:person id=\"p1\">";
    if (!activity.empty()) doc += "<rpid:activities><rpid:" + activity + "/></rpid:activities>";
    if (!note.empty()) doc += "<dm:note>" + note + "</dm:note>";
    doc += "</dm:person>\n";
  }
  doc += "</presence>\n";
  return doc;
}

inline SipMsg publish_request(SipClient& publisher, const std::string& body, int expires = 600,
                              const std::string& etag = {}) {
  SipMsg p = publisher.request("PUBLISH", publisher.aor(), publisher.aor());
  p.remove("Contact");
  p.set("Event", "presence");
  p.set("Expires", std::to_string(expires));
  if (!etag.empty()) p.set("SIP-If-Match", etag);
  if (!body.empty()) {
    p.set("Content-Type", "application/pidf+xml");
    p.body = body;
  }
  return p;
}

// XMPP presence with a <show/> (RFC 6121 §4.7.2.1) and status.
inline XmlNode presence_show(const std::string& show, const std::string& status = {}) {
  XmlNode p("presence");
  if (!show.empty()) p.append(XmlNode("show").set_text(show));
  if (!status.empty()) p.append(XmlNode("status").set_text(status));
  return p;
}

}  // namespace parley::it
