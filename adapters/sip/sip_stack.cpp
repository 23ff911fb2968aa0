// Small helpers declared in sip_stack.hpp.
#include "adapters/sip/sip_stack.hpp"

namespace parley::sip {

std::string_view transport_name(Transport transport) {
  switch (transport) {
    case Transport::udp:
      return "UDP";
    case Transport::tcp:
      return "TCP";
    case Transport::tls:
      return "TLS";
  }
  return "UDP";
}

std::string Flow::to_string() const {
  std::string out;
  switch (transport) {
    case Transport::udp:
      out = "udp:";
      break;
    case Transport::tcp:
      out = "tcp:";
      break;
    case Transport::tls:
      out = "tls:";
      break;
  }
  const std::string address = remote_address.to_string();
  out += remote_address.is_v6() ? "[" + address + "]" : address;
  out += ':';
  out += std::to_string(remote_port);
  if (connection_id != 0) {
    out += '#';
    out += std::to_string(connection_id);
  }
  return out;
}

}  // namespace parley::sip
