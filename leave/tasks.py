"""leave: tasks. The nightly check runs through opsdept's nightly task (opsdept/celery.py); nothing else here."""
