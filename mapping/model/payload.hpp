#pragma once
// ForeignPayload: content the unified model does not understand, carried opaquely so that
// routing between two endpoints of the same protocol loses nothing (RFC 6120 §8.4: unknown
// children pass through). Other protocols ignore payloads not of their own origin.
#include <string>

namespace parley::model {

enum class Protocol { xmpp, sip, websocket, irc, webhook };

struct ForeignPayload {
  Protocol origin = Protocol::xmpp;
  std::string ns;    // namespace / type tag in the origin protocol
  std::string name;  // element / field name in the origin protocol
  std::string data;  // the origin protocol's serialized form (for XMPP: the child element XML)
  // Set only by the XMPP codec when it serialized `data` itself, in this process, from an
  // element its parser had accepted: well-formed and written exactly as the serializer writes,
  // so a writer may copy it without parsing it again. Never stored: a payload read back from
  // the database (which anyone with file access can edit) is parsed before it reaches a stream.
  bool written_by_us = false;
  // Equal content; how it was obtained does not matter.
  friend bool operator==(const ForeignPayload& a, const ForeignPayload& b) {
    return a.origin == b.origin && a.ns == b.ns && a.name == b.name && a.data == b.data;
  }
};

}  // namespace parley::model
