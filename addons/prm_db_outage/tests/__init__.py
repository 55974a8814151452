# Plain pytest functions (test_lib_*): lib/ without the ORM; the module is
# server-wide and has no ORM part.
