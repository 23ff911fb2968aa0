#include "gateway/app/daemon.hpp"

#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <functional>
#include <future>
#include <iostream>
#include <mutex>
#include <optional>
#include <system_error>
#include <thread>
#include <vector>

#include "adapters/sip/services/sip_services.hpp"
#include "adapters/sip/sip_server.hpp"
#include "adapters/xmpp/xmpp_server.hpp"
#include "gateway/app/admin_http.hpp"
#include "gateway/app/ready_file.hpp"
#include "gateway/app/tls_setup.hpp"
#include "gateway/core/archive/archive_service.hpp"
#include "gateway/core/compliance/compliance_worker.hpp"
#include "gateway/core/core_service.hpp"
#include "gateway/core/cpu_work_pool.hpp"
#include "gateway/core/rooms/rooms_service.hpp"
#include "gateway/log/log.hpp"
#include "gateway/storage/archive/archive_store.hpp"
#include "gateway/storage/compliance/compliance_store.hpp"
#include "gateway/storage/database.hpp"
#include "gateway/storage/rooms/room_store.hpp"
#include "gateway/storage/store_executor.hpp"

namespace parley::app {
namespace {

namespace asio = boost::asio;
namespace fs = std::filesystem;

int startup_failure(std::string_view event, const std::string& message) {
  PARLEY_LOG_ERROR("app", "", event, {{"error", message}});
  std::cerr << "parleyd: " << message << std::endl;
  return 1;
}

// Waits until every job submitted before it has run and its `done` has been called (jobs
// complete in submission order), e.g. the core's initial account load.
void wait_for_store(api::StoreExecutor& store) {
  std::promise<void> done;
  auto future = done.get_future();
  store.submit(
      api::StoreJob{[](api::Stores&) {}, [&done](bool, const std::string&) { done.set_value(); }});
  future.wait();
}

// Loads the rooms and makes sure the category of rooms created by joining them (XEP-0045
// §10.1.2 instant rooms) exists: every user of the served domains may create rooms there.
// Runs before the io threads: the service's callbacks complete on the store thread.
std::optional<std::string> start_rooms(core::rooms::RoomsService& rooms,
                                       const config::ParleyConfig& config) {
  std::promise<std::optional<std::string>> loaded;
  rooms.load([&loaded](bool ok, const std::string& error) {
    loaded.set_value(ok ? std::nullopt : std::optional<std::string>("rooms: " + error));
  });
  if (auto error = loaded.get_future().get()) return error;
  std::promise<std::vector<model::Category>> listed;
  rooms.categories([&listed](std::vector<model::Category> c) { listed.set_value(std::move(c)); });
  const auto categories = listed.get_future().get();
  const std::string& name = config.xmpp.muc_default_category;
  for (const auto& category : categories) {
    if (category.name == name) return std::nullopt;
  }
  model::Category category;
  category.name = name;
  category.description = "Rooms created by their users";
  for (const auto& domain : config.core.domains) {
    if (auto address = model::Address::parse(domain)) category.creators.push_back(*address);
  }
  std::promise<std::optional<model::StanzaError>> put;
  rooms.put_category(category, [&put](std::optional<model::StanzaError> e) { put.set_value(e); });
  if (auto error = put.get_future().get()) {
    return "rooms: cannot create the category " + name + ": " + error->text;
  }
  PARLEY_LOG_INFO("app", "", "room_category_created", {{"category", name}});
  return std::nullopt;
}

// The administration API's routes (admin_http.hpp). Both answer from the store thread after a
// store job: health proves the store thread is alive, the compliance status reads the outbox.
AdminRoutes admin_routes(const config::ParleyConfig& config, api::StoreExecutor& store,
                         api::ComplianceQueue& queue, const xmpp::XmppServer& xmpp,
                         const core::ArchiveService& archive) {
  const auto started = std::chrono::steady_clock::now();
  AdminRoutes routes;
  routes.health = [&store, &xmpp, &archive, started](AdminReplyCallback done) {
    const auto uptime = std::chrono::duration_cast<std::chrono::seconds>(
        std::chrono::steady_clock::now() - started);
    nlohmann::json body = {{"status", "ok"},
                           {"version", PARLEY_VERSION},
                           {"pid", static_cast<std::int64_t>(::getpid())},
                           {"uptime_s", uptime.count()},
                           {"xmpp_sessions", xmpp.session_count()},
                           {"xmpp_resting_parsers", xmpp.resting_parser_count()},
                           {"archive_dropped", archive.dropped()}};
    store.submit(api::StoreJob{
        [](api::Stores&) {},
        [done = std::move(done), body = std::move(body)](bool committed, const std::string& e) {
          if (!committed) return done({503, {{"status", "store_unavailable"}, {"error", e}}});
          done({200, body});
        }});
  };
  routes.compliance_status = [&config, &store, &queue](AdminReplyCallback done) {
    auto stats = std::make_shared<api::ComplianceStats>();
    store.submit(api::StoreJob{
        [&config, &queue, stats](api::Stores&) {
          *stats =
              queue.stats(config.compliance.exporter_names(), std::chrono::system_clock::now());
        },
        [&config, stats, done = std::move(done)](bool committed, const std::string& e) {
          if (!committed) return done({503, {{"error", "store: " + e}}});
          // The same document as `parleyctl compliance status --json`, plus the switch.
          auto body = nlohmann::json::parse(storage::compliance_stats_to_json(*stats));
          body["enabled"] = config.compliance.enabled;
          done({200, std::move(body)});
        }});
  };
  return routes;
}

// The graceful shutdown: stop accepting and end the sessions (XmppServer::stop sends
// <system-shutdown/>, RFC 6120 §4.9.3.20), bounded by shutdown_timeout; a second signal
// exits at once. All state is touched only on one strand (handlers run on the io pool).
class Lifecycle {
 public:
  // Stops one adapter gracefully and calls its argument when done (from any thread).
  using AdapterStop = std::function<void(std::function<void()>)>;

  Lifecycle(asio::io_context& io, const config::ParleyConfig& config, xmpp::XmppServer& xmpp,
            core::CoreService& core, core::rooms::RoomsService& rooms)
      : io_(io),
        config_(config),
        xmpp_(xmpp),
        core_(core),
        rooms_(rooms),
        strand_(asio::make_strand(io)),
        signals_(strand_, SIGINT, SIGTERM, SIGHUP),
        deadline_(strand_),
        purge_timer_(strand_) {
    add_adapter([&xmpp](std::function<void()> done) { xmpp.stop(std::move(done)); });
  }

  // Another adapter (SIP) to stop beside XMPP, before start().
  void add_adapter(AdapterStop stop) { adapters_.push_back(std::move(stop)); }

  void start() {
    wait_signal();
    schedule_purge();
  }

 private:
  void wait_signal() {
    signals_.async_wait([this](const boost::system::error_code& ec, int signal) {
      if (ec) return;  // cancelled at the end of the shutdown
      on_signal(signal);
    });
  }

  void on_signal(int signal) {
    if (signal == SIGHUP) {
      // parleyctl changed accounts or departments (see reload_notify.hpp).
      PARLEY_LOG_INFO("app", "", "reload", {{"signal", "SIGHUP"}});
      core_.load_accounts();
      core_.reload_directory();
      // parleyctl room/category commands write the store directly (docs/admin.md).
      rooms_.load([](bool ok, const std::string& error) {
        if (!ok) PARLEY_LOG_ERROR("app", "", "rooms_reload_failed", {{"error", error}});
      });
      wait_signal();
      return;
    }
    std::string name = signal == SIGINT ? "SIGINT" : "SIGTERM";
    if (stopping_) {
      PARLEY_LOG_WARN("app", "", "forced_exit", {{"signal", name}});
      std::error_code ec;
      fs::remove(config_.ready_file(), ec);
      std::_Exit(1);
    }
    stopping_ = true;
    PARLEY_LOG_INFO("app", "", "stopping",
                    {{"signal", name},
                     {"sessions", std::to_string(xmpp_.session_count())},
                     {"timeout_ms", std::to_string(config_.shutdown_timeout.count())}});
    wait_signal();
    deadline_.expires_after(config_.shutdown_timeout);
    deadline_.async_wait([this](const boost::system::error_code& ec) {
      if (ec) return;
      PARLEY_LOG_WARN("app", "", "shutdown_timeout",
                      {{"sessions_left", std::to_string(xmpp_.session_count())}});
      finish();
    });
    // Every adapter stops in parallel; the io_context stops when the last one is done (or at
    // the deadline). Stopping the SIP server also ends its connections, which otherwise hold
    // it (and it them) past the io_context.
    adapters_running_ = adapters_.size();
    auto one_done = [this] {
      asio::post(strand_, [this] {
        if (--adapters_running_ == 0) finish();
      });
    };
    for (auto& stop : adapters_) stop(one_done);
  }

  // Room history retention (a category's retention period, docs/rooms.md), hourly.
  void schedule_purge() {
    purge_timer_.expires_after(std::chrono::hours(1));
    purge_timer_.async_wait([this](const boost::system::error_code& ec) {
      if (ec || stopping_) return;
      rooms_.purge_expired([](std::optional<std::size_t> purged) {
        if (!purged) PARLEY_LOG_WARN("app", "", "room_purge_failed");
      });
      schedule_purge();
    });
  }

  void finish() {
    if (finished_) return;
    finished_ = true;
    purge_timer_.cancel();
    deadline_.cancel();
    signals_.cancel();
    io_.stop();
  }

  asio::io_context& io_;
  const config::ParleyConfig& config_;
  xmpp::XmppServer& xmpp_;
  core::CoreService& core_;
  core::rooms::RoomsService& rooms_;
  asio::strand<asio::io_context::executor_type> strand_;
  asio::signal_set signals_;
  asio::steady_timer deadline_;
  asio::steady_timer purge_timer_;
  std::vector<AdapterStop> adapters_;
  std::size_t adapters_running_ = 0;
  bool stopping_ = false;
  bool finished_ = false;
};

// Runs the io_context on this thread; a handler that throws is logged and the loop goes on
// (one bad session must not take the daemon down).
void run_io(asio::io_context& io) {
  for (;;) {
    try {
      io.run();
      return;
    } catch (const std::exception& e) {
      PARLEY_LOG_ERROR("app", "", "handler_exception", {{"error", e.what()}});
    }
  }
}

}  // namespace

int run_daemon(const config::ParleyConfig& config) {
  log::configure(config.log_level, config.log_format);
  PARLEY_LOG_INFO(
      "app", "", "starting",
      {{"config", config.config_file.empty() ? "(built-in defaults)" : config.config_file.string()},
       {"data_dir", config.data_dir.string()},
       {"threads", std::to_string(config.io_threads())}});
  std::error_code ec;
  fs::create_directories(config.data_dir, ec);
  if (ec) {
    return startup_failure("startup_failed", "data_dir: cannot create " + config.data_dir.string() +
                                                 ": " + ec.message());
  }
  // A readiness file left by a crashed run must not make waiters think we are up already.
  fs::remove(config.ready_file(), ec);

  auto material = ensure_tls_material(config);
  if (!material) return startup_failure("startup_failed", material.error());
  if (material->generated) {
    PARLEY_LOG_INFO("app", "", "tls_certificate_generated",
                    {{"certificate", material->certificate.string()},
                     {"private_key", material->private_key.string()}});
  }
  asio::ssl::context tls(asio::ssl::context::tls_server);
  if (auto error = load_tls_context(tls, *material))
    return startup_failure("startup_failed", *error);

  auto database = storage::Database::open(config.store_path);
  if (!database) return startup_failure("startup_failed", database.error());
  PARLEY_LOG_INFO("app", "", "store_opened", {{"path", config.store_path.string()}});

  // Declaration order is destruction order in reverse: the server (and with it the sessions)
  // goes first, then the io_context with any handler left, then the core; the store executor
  // outlives everything that submits to it.
  // The archive's SQL lives next to the connection and is only used on the store thread; it
  // is declared before the executor so that it outlives every job still queued there.
  storage::SqliteArchiveStore archive_store((*database)->sql());
  // The same rule for the rooms' SQL (its cached statements live in the Database itself).
  storage::SqliteRoomStore room_store((*database)->sql(), &(*database)->statements(),
                                      &(*database)->room_index());
  // The compliance outbox (issue 6): the same rule again. It exists even when compliance is
  // off, so the status still shows events left from when it was on.
  storage::SqliteComplianceOutbox compliance_outbox((*database)->sql(), &(*database)->statements());
  storage::SqliteStoreExecutor store(std::move(database).value());
  // Compliance: the services append their events inside the jobs of the actions they record.
  api::ComplianceRecorder compliance;
  if (config.compliance.enabled) {
    compliance = api::ComplianceRecorder{config.compliance.settings(), &compliance_outbox};
  }
  // The worker exports the outbox; it is stopped before the store (see stop_store).
  std::optional<core::compliance::ComplianceWorker> compliance_worker;
  if (config.compliance.enabled) {
    compliance_worker.emplace(config.compliance, store, compliance_outbox);
    compliance_worker->start();
  }
  auto stop_store = [&] {
    if (compliance_worker) compliance_worker->stop();
    store.stop();
  };
  // XEP-0313 user archives: the core records every routed 1:1 message with a body (with
  // archive.enabled false the service only writes compliance's im.message events).
  api::StoreArchiveJobs archive_jobs(store, archive_store);
  core::ArchiveService archive(archive_jobs, config.archive, compliance);
  core::CoreService core(config.core, store, core::system_clock(), {}, &archive, compliance);
  core.start();
  wait_for_store(store);  // accounts and directory are loaded before the first login

  asio::io_context io(static_cast<int>(config.io_threads()));
  // Key stretching (PLAIN logins, registrations, password changes) runs here, not on the io
  // threads: as many threads as those, below them in priority. Declared after the io_context,
  // so it stops (finishing what runs, dropping what waits) before the io_context goes.
  core::CpuWorkPool cpu_work(core::CpuWorkPool::Limits{config.io_threads()});
  // The persistent rooms (XEP-0045 MUC on the XMPP side): room queues run on the io threads.
  api::StoreRoomJobs room_jobs(store, room_store);
  core::rooms::RoomsService rooms(
      {}, room_jobs, [] { return std::chrono::system_clock::now(); },
      [&io](core::rooms::Task task) { asio::post(io, std::move(task)); }, compliance);
  if (auto error = start_rooms(rooms, config)) {
    stop_store();
    return startup_failure("startup_failed", *error);
  }
  xmpp::XmppServer xmpp(io, config.xmpp, tls, core, store, cpu_work, rooms, archive);
  try {
    xmpp.start();
  } catch (const std::exception& e) {
    stop_store();
    return startup_failure("startup_failed", e.what());
  }
  // The administration API (loopback, bearer token): compliance status and health.
  std::optional<AdminHttpServer> admin;
  if (config.admin.http.enabled) {
    admin.emplace(io, config.admin.http,
                  admin_routes(config, store, compliance_outbox, xmpp, archive));
    try {
      admin->start();
    } catch (const std::exception& e) {
      stop_store();
      return startup_failure("startup_failed", std::string("admin.http: ") + e.what());
    }
  }

  // The SIP adapter (issue 7): the services (registrar, MESSAGE, presence) on the stack. They
  // are declared after the io_context, so they go before it; on exit the core forgets them.
  sip::StoreCredentialLookup sip_credentials(store);
  std::optional<sip::SipServices> sip_services;
  std::optional<sip::SipServer> sip_server;
  if (config.sip.enabled) {
    sip_services.emplace(io.get_executor(), config.sip.services, core, sip_credentials);
    sip_server.emplace(io, config.sip.stack, tls, *sip_services);
    sip_services->attach(*sip_server);
    sip_services->attach_archive(archive);
    // TCP/TLS peers are held like XMPP senders while the archive's rows wait; UDP ones get 503.
    sip_server->hold_reads_while([&archive] { return archive.backlogged(); });
    try {
      sip_server->start();
    } catch (const std::exception& e) {
      stop_store();
      return startup_failure("startup_failed", e.what());
    }
    sip_services->start();
  }

  // Signals are handled from here on, before the readiness file tells parleyctl (which sends
  // SIGHUP) that we are up: an unhandled SIGHUP would terminate the process.
  Lifecycle lifecycle(io, config, xmpp, core, rooms);
  if (sip_server) {
    // The services first (final NOTIFYs with reason=deactivated go out through the server,
    // endpoints are unbound), then the server's sockets and connections.
    lifecycle.add_adapter([&sip_services, &sip_server](std::function<void()> done) {
      sip_services->stop(
          [&sip_server, done = std::move(done)]() mutable { sip_server->stop(std::move(done)); });
    });
  }
  lifecycle.start();

  ReadyInfo ready{static_cast<std::int64_t>(::getpid()), xmpp.c2s_port(), xmpp.direct_tls_port()};
  ready.admin_http_port = admin ? admin->port() : 0;
  ready.sip_udp_port = sip_server ? sip_server->udp_port() : 0;
  ready.sip_tcp_port = sip_server ? sip_server->tcp_port() : 0;
  ready.sip_tls_port = sip_server ? sip_server->tls_port() : 0;
  if (auto error = write_ready_file(config.ready_file(), ready)) {
    PARLEY_LOG_WARN("app", "", "ready_file_failed", {{"error", *error}});
  }
  PARLEY_LOG_INFO("app", "", "ready",
                  {{"xmpp_c2s_port", std::to_string(ready.xmpp_c2s_port)},
                   {"xmpp_direct_tls_port", std::to_string(ready.xmpp_direct_tls_port)},
                   {"sip_udp_port", std::to_string(ready.sip_udp_port)},
                   {"sip_tcp_port", std::to_string(ready.sip_tcp_port)},
                   {"pid", std::to_string(ready.pid)},
                   {"ready_file", config.ready_file().string()}});

  // No work guard: the listeners and the signal set keep run() busy until Lifecycle stops it.
  std::vector<std::thread> threads;
  for (unsigned i = 1; i < config.io_threads(); ++i) threads.emplace_back([&io] { run_io(io); });
  run_io(io);
  for (auto& t : threads) t.join();

  if (admin) admin->stop();
  // Every job already queued (offline messages, roster changes) is committed before exit; the
  // compliance worker stops first (what it has not confirmed is exported again at next start).
  stop_store();
  fs::remove(config.ready_file(), ec);
  PARLEY_LOG_INFO("app", "", "stopped");
  return 0;
}

}  // namespace parley::app
