import rules

from aimak.accounts.predicates import is_municipal_staff, is_sysadmin

# Object: the municipality. Paired selector: selectors.provision_municipalities.
rules.add_perm("catalogue.manage_provision", is_municipal_staff | is_sysadmin)
