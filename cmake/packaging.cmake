# The Debian package (`cpack -G DEB` in the build folder): candour_VERSION_amd64.deb with
# /usr/bin/candour, the hardened unit /lib/systemd/system/candour.service, the config file
# /etc/candour/candour.conf (a conffile: an upgrade keeps the operator's edits) and the docs.
# Dependencies come from dpkg-shlibdeps on the binary; the maintainer scripts make the system
# user `candour` (packaging/debian/).
set(candour_packaging ${PROJECT_SOURCE_DIR}/packaging)
# `cpack` and `make install` package what is built (cmake --build first) rather than
# rebuilding every test and benchmark on one core first.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)

install(TARGETS candour RUNTIME DESTINATION bin)
install(FILES ${candour_packaging}/systemd/candour.service DESTINATION /lib/systemd/system)
install(FILES ${candour_packaging}/candour.conf DESTINATION /etc/candour)
install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION share/doc/candour)
if(EXISTS ${candour_packaging}/nginx)
  install(DIRECTORY ${candour_packaging}/nginx DESTINATION share/doc/candour)
endif()

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME candour)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "anonymous survey service with disclosure-controlled results")
set(CPACK_PACKAGE_DESCRIPTION
  "Candour runs community surveys that never store who answered: responses are sealed at rest, \
published figures are protected by primary and secondary suppression, and the service runs \
as one hardened systemd unit behind a TLS reverse proxy.")
set(CPACK_PACKAGE_CONTACT "Candour maintainers <candour@localhost>")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # candour_VERSION_amd64.deb
set(CPACK_DEBIAN_PACKAGE_SECTION web)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# useradd (postinst); systemd is what runs it, but the binary also runs without it.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "passwd")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "systemd, nginx")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
  ${candour_packaging}/debian/conffiles ${candour_packaging}/debian/postinst
  ${candour_packaging}/debian/prerm ${candour_packaging}/debian/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_STRIP_FILES ON)
include(CPack)
