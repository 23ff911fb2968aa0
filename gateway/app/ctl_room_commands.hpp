#pragma once
// parleyctl's room and category commands (docs/admin.md), run synchronously against the room
// store of parleyd's database. parleyd picks the changes up when told to reload (SIGHUP,
// RoomsService::load). Administrators bypass the room policy, so there are no actor checks.
#include <string>
#include <vector>

#include "gateway/api/room_store.hpp"
#include "gateway/app/ctl_commands.hpp"

namespace parley::app {

CtlOutput run_room_command(const CtlCommand& command, api::RoomStore& rooms,
                           const std::vector<std::string>& domains);

// The room id derived from a name: lower-case ASCII letters and digits kept, runs of anything
// else become one '-', at most 64 bytes ("Team Alpha!" -> "team-alpha"); empty if nothing is
// left.
std::string room_id_from_name(const std::string& name);

}  // namespace parley::app
