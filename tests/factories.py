"""Factories shared by every app's tests: departments and people with roles."""

import factory
from django.contrib.auth.models import Group

from crm_project.accounts.models import Department, User

PASSWORD = "pass-for-tests-1"


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"dept-{n}")
    name_zh = factory.LazyAttribute(lambda o: f"部门{o.code}")
    name_en = factory.LazyAttribute(lambda o: f"Department {o.code}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.com")
    department = factory.SubFactory(DepartmentFactory, code="sales")
    language = "en"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if extracted:
            self.groups.set(Group.objects.filter(name__in=[str(role) for role in extracted]))
        self.save()
