// The console tests' fixture (console_test.cc, console_form_test.cc): the admin fixture with
// a signed-in organiser's requests: form POSTs with a cookie and an Origin, and GETs.
#pragma once

#include "tests/admin_fixture.h"

namespace candour::testing::admin {

class ConsoleTest : public AdminTest {
 protected:
  std::string Origin() const { return "http://127.0.0.1:" + std::to_string(server_.port()); }
  HttpReply Post(const std::string& target, const std::string& body, const std::string& cookie,
                 const std::string& origin) {
    std::map<std::string, std::string> h = {{"Content-Type", "application/x-www-form-urlencoded"}};
    if (!cookie.empty()) h["Cookie"] = cookie;
    if (!origin.empty()) h["Origin"] = origin;
    return client_.Send("POST", target, h, body);
  }
  // Signs in; returns "candour_session=ID".
  std::string SignIn() {
    const HttpReply r = Post("/admin/sign-in", "token=" + server_.admin_token(), "", Origin());
    EXPECT_EQ(r.status, 303) << r.body;
    const std::string set = r.Header("set-cookie");
    return set.substr(0, set.find(';'));
  }
  HttpReply Get(const std::string& target, const std::string& cookie) {
    return client_.Get(target, {{"Cookie", cookie}});
  }
};

}  // namespace candour::testing::admin
