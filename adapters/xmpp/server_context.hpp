#pragma once
// ServerContext: what every session of one XmppServer shares — configuration, collaborators,
// the IQ feature table, the auth throttle and the session registry. Sessions hold it by
// shared_ptr, so it outlives the last of them.
#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <memory>

#include "adapters/xmpp/auth_throttle.hpp"
#include "adapters/xmpp/features/feature_registry.hpp"
#include "adapters/xmpp/muc/muc_registry.hpp"
#include "adapters/xmpp/session_registry.hpp"
#include "adapters/xmpp/xmpp_config.hpp"
#include "gateway/api/core.hpp"
#include "gateway/api/cpu_work.hpp"
#include "gateway/api/message_archive.hpp"
#include "gateway/api/rooms.hpp"
#include "gateway/api/store_executor.hpp"

namespace parley::xmpp {

struct ServerContext {
  ServerContext(boost::asio::io_context& io_context, XmppConfig xmpp_config,
                boost::asio::ssl::context& tls_context, api::Core& core_api,
                api::StoreExecutor& store_executor, api::CpuWork& cpu_work_pool,
                api::Rooms& rooms_service, api::MessageArchive& message_archive)
      : io(io_context),
        config(std::move(xmpp_config)),
        tls(tls_context),
        core(core_api),
        store(store_executor),
        cpu_work(cpu_work_pool),
        rooms(rooms_service),
        archive(message_archive),
        muc_domain(effective_muc_domain(config)),
        muc(std::make_shared<muc::MucRegistry>(muc_domain)),
        features(make_feature_registry(config)),
        throttle(AuthThrottle::Limits{config.auth_failures_per_ip, config.auth_failures_per_account,
                                      config.auth_failure_window}) {}

  boost::asio::io_context& io;
  const XmppConfig config;
  boost::asio::ssl::context& tls;
  api::Core& core;
  api::StoreExecutor& store;
  api::CpuWork& cpu_work;
  api::Rooms& rooms;
  api::MessageArchive& archive;
  const std::string muc_domain;           // XEP-0045 service, e.g. "conference.localhost"
  std::shared_ptr<muc::MucRegistry> muc;  // occupants for private messages, message cache
  const FeatureRegistry features;
  AuthThrottle throttle;
  SessionRegistry sessions;
  // Sessions whose XML parser is freed right now (XmppConfig::parser_rest_after).
  std::atomic<std::size_t> resting_parsers{0};
};

}  // namespace parley::xmpp
