import rules

from aimak.accounts.predicates import is_municipal_editor, is_sysadmin

# Object: the municipality. Staff and monitoring-group members record its population.
rules.add_perm("territories.set_population", is_municipal_editor | is_sysadmin)
