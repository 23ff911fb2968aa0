#pragma once
// Helpers the scenarios share: account names, login settings, logging a range of clients in,
// and stopping the driver threads before anything their handlers use goes away.
#include <boost/asio/awaitable.hpp>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "bench/io_pool.hpp"
#include "bench/options.hpp"
#include "bench/phase_runner.hpp"
#include "bench/run_report.hpp"
#include "bench/xmpp_connection.hpp"
#include "bench/xmpp_login.hpp"

namespace parley::bench {

// <prefix><first_user + index>
std::string user_name(const Options& options, std::size_t index);
std::string bare_jid(const Options& options, std::size_t index);
std::string source_address(const Options& options, std::size_t index);  // --source-ips
LoginSettings login_settings(const Options& options, std::size_t index);

// One connection per client, client i on driver thread i % threads.
std::vector<std::shared_ptr<XmppConnection>> make_connections(IoPool& pool, const Options& options);

using AfterLogin = std::function<boost::asio::awaitable<void>(std::size_t, XmppConnection&)>;
// Logs clients [first, first + count) in (connect_concurrency at once, connect_timeout in all),
// then runs after_login (if any) for each.
PhaseResult log_in(IoPool& pool, const Options& options,
                   const std::vector<std::shared_ptr<XmppConnection>>& connections,
                   std::size_t first, std::size_t count, AfterLogin after_login = {});

// XEP-0077 registration of every client's account (--register).
PhaseResult register_all(IoPool& pool, const Options& options);

// Copies a failed phase into the report and says so on stderr. Returns false if it failed.
bool check_phase(const PhaseResult& phase, const char* what, RunReport& report);

// Declared after everything the driver threads' handlers reference: stops the threads first.
struct PoolStopper {
  IoPool& pool;
  ~PoolStopper() { pool.stop(); }
};

int run_one2one(const Options& options, RunReport& report);
int run_echo(const Options& options, RunReport& report);
int run_fanout(const Options& options, RunReport& report);
int run_idle(const Options& options, RunReport& report);
int run_login(const Options& options, RunReport& report);
int run_sip2xmpp(const Options& options, RunReport& report);

}  // namespace parley::bench
