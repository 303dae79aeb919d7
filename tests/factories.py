import factory

from movement.models import User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Sequence(lambda n: f"חבר {n}")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def big_plan(**kwargs):
    """A plan of many goals with updates, written in bulk: for query-count tests."""
    from plans.demo import synthetic_plan

    return synthetic_plan(**kwargs)
